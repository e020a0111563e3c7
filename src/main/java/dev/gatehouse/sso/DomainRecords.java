package dev.gatehouse.sso;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The bodies of /api/v1/sso/domains. */
public final class DomainRecords {

    private DomainRecords() {
    }

    public record NewDomain(@NotBlank @Size(max = 253) String domain) {
    }

    public record DomainSettings(@NotNull Boolean requireSso) {
    }

    /**
     * A domain of the tenant. {@code status}: pending (not proved yet), verified, or lost (proved once, the record
     * gone since). {@code recordName} and {@code recordValue}: the TXT record that proves it.
     */
    public record DomainResponse(UUID id, String domain, String status, boolean requireSso, String recordName,
                                 String recordValue, Instant createdAt, Instant verifiedAt, Instant checkedAt,
                                 Instant lostAt) {
    }

    public record DomainList(List<DomainResponse> items) {
    }
}
