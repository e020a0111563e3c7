package dev.gatehouse.v1import;

import dev.gatehouse.platform.Ids;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * v1 refresh tokens, so signed-in people stay signed in: v1 stored each token's SHA-256 as hex, Gatehouse
 * stores the same digest as bytes, so a live v1 token becomes a Gatehouse session of its own (a family of one)
 * that the ordinary refresh rotates, reuse detection included. Revoked and expired tokens stay dead: they are
 * not brought over, and one brought by a previous run that v1 has revoked since is revoked here too. v1's
 * access tokens are not: they expire within minutes, and Gatehouse never accepted them (revoked_tokens, v1's
 * denylist of access-token ids, is only counted).
 */
final class V1Sessions {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final Connection v1;
    private final Connection gatehouse;
    private final ImportIds ids;
    private final ImportReport report;

    V1Sessions(Connection v1, Connection gatehouse, ImportIds ids, ImportReport report) {
        this.v1 = v1;
        this.gatehouse = gatehouse;
        this.ids = ids;
        this.report = report;
    }

    void importRefreshTokens() throws SQLException {
        Instant now = Instant.now();
        for (Sql.Row token : Sql.rows(v1, """
                select t.id, t.user_id, t.token_hash, t.expires_at, t.revoked, t.created_at, u.tenant_id
                from refresh_tokens t join users u on u.id = t.user_id order by t.created_at, t.id""")) {
            boolean live = !token.flag("revoked") && token.time("expires_at").isAfter(now);
            UUID mapped = ids.find("refresh_token", token.uuid("id"));
            if (mapped != null) {
                if (!live) {
                    report.count("refresh tokens revoked since", Sql.update(gatehouse,
                            "update refresh_tokens set revoked_at = now() where id = ? and revoked_at is null", mapped));
                }
                continue;
            }
            UUID account = ids.find("user", token.uuid("user_id"));
            UUID tenant = ids.find("tenant", token.uuid("tenant_id"));
            if (!live || account == null || tenant == null) {
                report.count("refresh tokens left (revoked, expired or of a skipped user)");
                continue;
            }
            if (!SHA256_HEX.matcher(token.text("token_hash")).matches()) {
                report.conflict("refresh token " + token.uuid("id") + ": token_hash is no SHA-256 hex: left");
                continue;
            }
            UUID id = Ids.newId();
            int inserted = Sql.update(gatehouse, """
                            insert into refresh_tokens (id, user_id, tenant_id, token_hash, family_id, token_version,
                                                        session_started_at, expires_at, created_at, amr)
                            select ?, u.id, ?, ?, ?, u.token_version, ?, ?, ?, 'pwd' from users u where u.id = ?
                            on conflict (token_hash) do nothing""",
                    id, tenant, HexFormat.of().parseHex(token.text("token_hash").toLowerCase()), Ids.newId(),
                    token.time("created_at"), token.time("expires_at"), token.time("created_at"), account);
            if (inserted == 1) {
                ids.remember("refresh_token", token.uuid("id"), id);
                report.count("refresh tokens carried over");
            }
        }
        report.count("v1 revoked access-token ids (not needed)",
                ((Number) Sql.value(v1, "select count(*) from revoked_tokens")).intValue());
    }
}
