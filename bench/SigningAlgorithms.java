import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Paired timing of an access token's signature, RS256 (RSA 2048) against ES256 (P-256), with the JDK providers the
 * server uses: each round times a batch of signs and of verifies of each, the order alternating, and the medians
 * of the rounds are printed with their ratios. Run: java bench/SigningAlgorithms.java [rounds] [batch].
 */
public class SigningAlgorithms {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        // the size of a real access token's signing input: header and claims of about 600 bytes
        byte[] input = Base64.getUrlEncoder().encodeToString(new byte[450]).getBytes(StandardCharsets.US_ASCII);
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        KeyPair rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = ecGenerator.generateKeyPair();
        Algorithm rs256 = new Algorithm("SHA256withRSA", rsa, input);
        Algorithm es256 = new Algorithm("SHA256withECDSAinP1363Format", ec, input);
        for (int i = 0; i < 5; i++) { // warm-up: the JIT
            rs256.round(batch);
            es256.round(batch);
        }
        double[][] rs = new double[2][rounds];
        double[][] es = new double[2][rounds];
        for (int i = 0; i < rounds; i++) {
            double[] first = (i % 2 == 0 ? rs256 : es256).round(batch);
            double[] second = (i % 2 == 0 ? es256 : rs256).round(batch);
            double[] r = i % 2 == 0 ? first : second;
            double[] e = i % 2 == 0 ? second : first;
            rs[0][i] = r[0];
            rs[1][i] = r[1];
            es[0][i] = e[0];
            es[1][i] = e[1];
        }
        double rsSign = median(rs[0]), rsVerify = median(rs[1]), esSign = median(es[0]), esVerify = median(es[1]);
        System.out.printf(Locale.ROOT, "rounds %d x batch %d, microseconds per operation, median of rounds%n", rounds, batch);
        System.out.printf(Locale.ROOT, "RS256 sign %.1f  verify %.1f  sign+verify %.1f  signature %d bytes%n",
                rsSign, rsVerify, rsSign + rsVerify, rs256.signatureLength);
        System.out.printf(Locale.ROOT, "ES256 sign %.1f  verify %.1f  sign+verify %.1f  signature %d bytes%n",
                esSign, esVerify, esSign + esVerify, es256.signatureLength);
        System.out.printf(Locale.ROOT, "RS256 / ES256: sign %.2f  verify %.2f  sign+verify %.2f%n",
                rsSign / esSign, rsVerify / esVerify, (rsSign + rsVerify) / (esSign + esVerify));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static final class Algorithm {
        private final String name;
        private final KeyPair keys;
        private final byte[] input;
        private final byte[] signature;
        final int signatureLength;

        Algorithm(String name, KeyPair keys, byte[] input) throws Exception {
            this.name = name;
            this.keys = keys;
            this.input = input;
            this.signature = sign();
            this.signatureLength = signature.length;
        }

        private byte[] sign() throws Exception {
            Signature signer = Signature.getInstance(name);
            signer.initSign(keys.getPrivate());
            signer.update(input);
            return signer.sign();
        }

        /** Microseconds per sign and per verify over one batch of each. */
        double[] round(int batch) throws Exception {
            long start = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                sign();
            }
            long signed = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                Signature verifier = Signature.getInstance(name);
                verifier.initVerify(keys.getPublic());
                verifier.update(input);
                if (!verifier.verify(signature)) {
                    throw new IllegalStateException(name + " did not verify");
                }
            }
            long verified = System.nanoTime();
            return new double[] {(signed - start) / 1000.0 / batch, (verified - signed) / 1000.0 / batch};
        }
    }
}
