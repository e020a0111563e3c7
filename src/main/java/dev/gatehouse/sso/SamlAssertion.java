package dev.gatehouse.sso;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a valid assertion says. {@code notOnOrAfter} is the instant from which {@link SamlServiceProvider#validate}
 * refuses this assertion as expired (clock skew included): the caller keeps {@code assertionId} until then to
 * refuse a replay. {@code nameIdFormat}, {@code authnContextClassRef} and {@code sessionIndex} are null when the
 * IdP did not send them; {@code attributes} maps each attribute's Name to its values (in the IdP's order).
 */
public record SamlAssertion(String assertionId, Instant notOnOrAfter, String nameId, String nameIdFormat,
                            Map<String, List<String>> attributes, String authnContextClassRef, String sessionIndex) {

    public SamlAssertion {
        attributes = Map.copyOf(attributes);
    }
}
