package dev.gatehouse.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 appendix B's test vectors (HMAC-SHA1, 8 digits), and the 6-digit codes apps show. */
class TotpTest {

    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
            "2000000000, 69279037", "20000000000, 65353130"})
    void rfc6238Vectors(long time, String expected) {
        assertEquals(expected, Totp.code(SECRET, Totp.stepAt(time), "HmacSHA1", 8));
    }

    @ParameterizedTest
    @CsvSource({"59, 287082", "1111111109, 081804", "20000000000, 353130"})
    void sixDigitCodesAreTheLastSixDigits(long time, String expected) {
        assertEquals(expected, Totp.code(SECRET, Totp.stepAt(time)));
        assertEquals(Totp.stepAt(time), Totp.matchingStep(SECRET, expected, time));
    }

    @ParameterizedTest
    @CsvSource({"-30, true", "30, true", "-60, false", "60, false"})
    void oneStepOfClockSkewEitherWay(long offset, boolean accepted) {
        long now = 1111111111;
        String code = Totp.code(SECRET, Totp.stepAt(now + offset));
        assertEquals(accepted, Totp.matchingStep(SECRET, code, now) >= 0);
    }

    @ParameterizedTest
    @CsvSource(value = {"12345", "1234567", "abcdef", "'12 456'", "NULL"}, nullValues = "NULL")
    void malformedCodesMatchNothing(String code) {
        assertEquals(-1, Totp.matchingStep(SECRET, code, 1111111111));
    }

    @org.junit.jupiter.api.Test
    void base32IsRfc4648() {
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Base32.encode(SECRET));
        assertEquals("MZXW6YQ", Base32.encode("foob".getBytes(StandardCharsets.US_ASCII)));
    }
}
