package dev.gatehouse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The realm KeycloakServer imports, as the enterprise SSO tests need it for OIDC: the confidential client
 * "gatehouse" takes a localhost redirect URI and PKCE, and alice's ID token carries her email and groups.
 */
class KeycloakOidcIT {

    private static final String REDIRECT_URI = "http://localhost:3000/sso/callback";

    @Test
    void aliceSignsInWithTheCodeFlowAndPkceAndHerIdTokenCarriesHerGroups() throws Exception {
        KeycloakServer keycloak = KeycloakServer.get();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        URI authorization = URI.create(keycloak.issuer() + "/protocol/openid-connect/auth?" + query(Map.of(
                "response_type", "code", "client_id", KeycloakServer.OIDC_CLIENT_ID, "scope", "openid email",
                "redirect_uri", REDIRECT_URI, "state", "state-1", "nonce", "nonce-1",
                "code_challenge", challenge, "code_challenge_method", "S256")));

        URI back = keycloak.oidcLogin(authorization, KeycloakServer.ALICE, KeycloakServer.ALICE_PASSWORD);
        assertTrue(back.toString().startsWith(REDIRECT_URI + "?"), back.getPath());
        Map<String, String> parameters = Arrays.stream(back.getRawQuery().split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
        assertEquals("state-1", parameters.get("state"));

        HttpResponse<String> tokens = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(Map.of("grant_type", "authorization_code",
                        "code", parameters.get("code"), "redirect_uri", REDIRECT_URI, "code_verifier", verifier,
                        "client_id", KeycloakServer.OIDC_CLIENT_ID, "client_secret", KeycloakServer.OIDC_CLIENT_SECRET))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tokens.statusCode());
        String idToken = Json.createReader(new StringReader(tokens.body())).readObject().getString("id_token");
        JWTClaimsSet claims = SignedJWT.parse(idToken).getJWTClaimsSet();
        assertEquals(keycloak.issuer(), claims.getIssuer());
        assertEquals("nonce-1", claims.getStringClaim("nonce"));
        assertEquals(KeycloakServer.ALICE, claims.getStringClaim("email"));
        assertEquals(Boolean.TRUE, claims.getBooleanClaim("email_verified"));
        assertEquals(List.of("engineering"), claims.getStringListClaim("groups"));
    }

    private static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(p -> URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
