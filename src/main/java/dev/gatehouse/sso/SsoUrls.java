package dev.gatehouse.sso;

import dev.gatehouse.sso.ConnectionRecords.ServiceProvider;
import java.util.UUID;

/**
 * Gatehouse's own URLs of a connection, under the hosted sign-in's path (/api/v1/oauth, where its cookies go):
 * the OIDC redirect URI, and the SAML entity id (the metadata's URL, as is usual) and assertion consumer service.
 */
public final class SsoUrls {

    private SsoUrls() {
    }

    /** The connection's place on the hosted page: its start (discovery's sso_url), and the root of the others. */
    public static String base(String publicBaseUrl, UUID connectionId) {
        return publicBaseUrl + "/api/v1/oauth/sign-in/sso/" + connectionId;
    }

    public static String redirectUri(String publicBaseUrl, SsoConnection connection) {
        return base(publicBaseUrl, connection.id()) + "/callback";
    }

    public static String samlEntityId(String publicBaseUrl, SsoConnection connection) {
        return base(publicBaseUrl, connection.id()) + "/metadata";
    }

    public static String acsUrl(String publicBaseUrl, SsoConnection connection) {
        return base(publicBaseUrl, connection.id()) + "/acs";
    }

    static ServiceProvider serviceProvider(String publicBaseUrl, SsoConnection connection) {
        return connection.oidc()
                ? new ServiceProvider(redirectUri(publicBaseUrl, connection), null, null, null)
                : new ServiceProvider(null, samlEntityId(publicBaseUrl, connection), acsUrl(publicBaseUrl, connection),
                        samlEntityId(publicBaseUrl, connection));
    }
}
