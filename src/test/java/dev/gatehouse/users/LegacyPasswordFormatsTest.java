package dev.gatehouse.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each legacy format against hashes made by another implementation, never by the code under test:
 * <ul>
 * <li>bcrypt: libxcrypt's crypt(3) (Debian libcrypt1 4.4, called from Python through ctypes);</li>
 * <li>PBKDF2-SHA256: passlib's documented example, and one made with Python's hashlib.pbkdf2_hmac (OpenSSL);</li>
 * <li>scrypt: Python's hashlib.scrypt (OpenSSL), and RFC 7914's test vector 3 written in passlib's form;</li>
 * <li>Argon2: the reference implementation's test vectors (phc-winner-argon2, src/test.c).</li>
 * </ul>
 * The passwords are written beside them; docs/security.md, "Imported password hashes", names the formats.
 */
class LegacyPasswordFormatsTest {

    private final PasswordHasher hasher = new PasswordHasher();

    private void assertVerifies(String scheme, String password, String hash) {
        assertEquals(scheme, PasswordHasher.scheme(hash), hash);
        assertTrue(hasher.verify(password, hash), "the right password: " + hash);
        assertFalse(hasher.verify(password + "x", hash), "a wrong password: " + hash);
        assertFalse(hasher.verify("", hash), "an empty password: " + hash);
        assertTrue(hasher.needsRehash(hash), "a legacy hash is replaced at the next sign-in: " + hash);
    }

    @Test
    void bcryptOfEachPrefixFromLibxcrypt() {
        assertVerifies("bcrypt", "v1 password of Ada", "$2b$12$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm");
        assertVerifies("bcrypt", "Grüße, Jürgen", "$2a$10$NK5J6WhXNVGsw/IwFqMAKu1f25W4i14chV/DSEXo5INhelEP.ohTK");
        assertVerifies("bcrypt", "y-variant pass", "$2y$04$kqh6cG1dN6T.pHLniba1he1bTGHMjPq.OEAeZ2ZFuZRCHMpXuStyi");
    }

    /** bcrypt keys on the first 72 bytes only, in libxcrypt as here: a password past them matches on those. */
    @Test
    void bcryptCountsTheFirst72BytesLikeLibxcrypt() {
        String hundredChars = "0123456789".repeat(10);
        String hash = "$2b$04$DafTfIY7NV5pV/jlQLhT0u18iUXpjlmp7X4ka54Iqw2i2NitTr3Oe";
        assertTrue(hasher.verify(hundredChars, hash));
        assertTrue(hasher.verify(hundredChars.substring(0, 72), hash));
        assertFalse(hasher.verify(hundredChars.substring(0, 71), hash));
    }

    @Test
    void pbkdf2Sha256InPasslibsForm() {
        // passlib's documentation, pbkdf2_sha256.hash("password")
        assertVerifies("pbkdf2-sha256", "password",
                "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M");
        // hashlib.pbkdf2_hmac("sha256", ...), the salt with bytes whose base64 has "+" (written ".")
        assertVerifies("pbkdf2-sha256", "correct horse",
                "$pbkdf2-sha256$29000$Af4Qc2FsdHNhbHQrL2FiYw$s1n7UYBY9jBJXpn8rE7MbX9mTsglHI4PF7pP568JAFg");
    }

    @Test
    void scryptInPasslibsForm() {
        // hashlib.scrypt(n=2**14, r=8, p=1, dklen=32)
        assertVerifies("scrypt", "battery staple",
                "$scrypt$ln=14,r=8,p=1$c2P/cnlwdCBzYWx0IDE2Ynk$1zq8HqMpbyeyjINmf6heYhlG7Zk9/I5oNZS4ZJMG/Rw");
        // RFC 7914, section 12: P = "password", S = "NaCl", N = 1024, r = 8, p = 16, dkLen = 64
        assertVerifies("scrypt", "password", "$scrypt$ln=10,r=8,p=16$TmFDbA$"
                + "/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA");
    }

    @Test
    void argon2WithOtherParametersAndVariants() {
        assertVerifies("argon2i", "password",
                "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA");
        assertVerifies("argon2i", "password",
                "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8");
        // argon2id at the reference's m = 64 MiB is the native format with other parameters
        String argon2id = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertEquals("argon2id", PasswordHasher.scheme(argon2id));
        assertTrue(hasher.verify("password", argon2id));
        assertFalse(hasher.verify("passwore", argon2id));
    }

    /** Unknown, malformed or unbounded hashes have no scheme and never match (each costs a decoy check). */
    @Test
    void anythingElseNeverMatches() {
        for (String hash : new String[] {
                "", "password", "$1$saltsalt$hash", "$2x$12$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm",
                "$2b$31$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm", // cost 31: days per login
                "$2b$12$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJ", // one character short
                "$pbkdf2-sha256$99999999$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
                "$pbkdf2-sha256$6400$0ZrzX$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M", // salt of 5 characters
                "$scrypt$ln=24,r=8,p=1$c2P/cnlwdCBzYWx0IDE2Ynk$1zq8HqMpbyeyjINmf6heYhlG7Zk9/I5oNZS4ZJMG/Rw", // 2 GiB
                "$argon2i$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA", // 4 GiB
                "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBb"}) { // 4n + 1 characters
            assertNull(LegacyPasswordFormats.scheme(hash), hash);
            assertFalse(hasher.verify("password", hash), hash);
        }
        assertNull(PasswordHasher.scheme(null));
        assertFalse(hasher.verify("password", null));
    }
}
