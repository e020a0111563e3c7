package dev.gatehouse.sso;

/**
 * A SAML response (or IdP metadata) refused. The reason is short and fit for the security event log: it names
 * the check that failed, never a secret or the raw XML.
 */
public class SamlRejected extends Exception {

    public SamlRejected(String reason) {
        super(reason);
    }

    public String reason() {
        return getMessage();
    }
}
