package dev.gatehouse.provisioning;

import jakarta.enterprise.context.RequestScoped;

/** The directory of this SCIM request, set by {@link ScimAuthentication} before the resource runs. */
@RequestScoped
public class ScimCaller {

    private ScimDirectory directory;

    public void authenticated(ScimDirectory directory) {
        this.directory = directory;
    }

    public ScimDirectory directory() {
        if (directory == null) {
            throw new ScimException(401, null, "A SCIM token is required.");
        }
        return directory;
    }
}
