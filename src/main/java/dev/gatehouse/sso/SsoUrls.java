package dev.gatehouse.sso;

import dev.gatehouse.sso.ConnectionRecords.ServiceProvider;

/**
 * Gatehouse's own URLs of a connection, under the hosted sign-in's path (/api/v1/oauth, where its cookies go):
 * the OIDC redirect URI, and the SAML entity id (the metadata's URL, as is usual) and assertion consumer service.
 */
public final class SsoUrls {

    private SsoUrls() {
    }

    public static String base(String publicBaseUrl, SsoConnection connection) {
        return publicBaseUrl + "/api/v1/oauth/sign-in/sso/" + connection.id();
    }

    public static String redirectUri(String publicBaseUrl, SsoConnection connection) {
        return base(publicBaseUrl, connection) + "/callback";
    }

    public static String samlEntityId(String publicBaseUrl, SsoConnection connection) {
        return base(publicBaseUrl, connection) + "/metadata";
    }

    public static String acsUrl(String publicBaseUrl, SsoConnection connection) {
        return base(publicBaseUrl, connection) + "/acs";
    }

    static ServiceProvider serviceProvider(String publicBaseUrl, SsoConnection connection) {
        return connection.oidc()
                ? new ServiceProvider(redirectUri(publicBaseUrl, connection), null, null, null)
                : new ServiceProvider(null, samlEntityId(publicBaseUrl, connection), acsUrl(publicBaseUrl, connection),
                        samlEntityId(publicBaseUrl, connection));
    }
}
