package dev.gatehouse.v1import;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did, or would do (a dry run): counts per kind of row, and every row it could not bring over as
 * it was, so nothing is dropped or changed silently. docs/upgrading-from-v1.md, "The report", explains each line.
 */
public final class ImportReport {

    final Map<String, Integer> counts = new TreeMap<>();
    final List<String> conflicts = new ArrayList<>();
    final Map<String, List<String>> unmappedPermissions = new TreeMap<>();
    final Map<String, Integer> unmappedAuditActions = new TreeMap<>();
    final List<String> severalTenants = new ArrayList<>();

    void count(String what) {
        count(what, 1);
    }

    void count(String what, int n) {
        if (n > 0) {
            counts.merge(what, n, Integer::sum);
        }
    }

    public int get(String what) {
        return counts.getOrDefault(what, 0);
    }

    public List<String> conflicts() {
        return List.copyOf(conflicts);
    }

    void conflict(String text) {
        conflicts.add(text);
    }

    void print(PrintStream out, boolean dryRun) {
        out.println(dryRun ? "v1 import, DRY RUN: nothing was written; a real run would do this" : "v1 import: done");
        counts.forEach((what, n) -> out.printf("  %-58s %d%n", what, n));
        out.println("people with users in several v1 tenants (one account each, every membership): " + severalTenants.size());
        severalTenants.forEach(line -> out.println("  " + line));
        out.println("v1 permissions with no Gatehouse permission (left out of their roles, never widened): "
                + unmappedPermissions.size());
        unmappedPermissions.forEach((permission, roles) -> out.println("  " + permission + " in " + String.join(", ", roles)));
        out.println("v1 audit actions with no Gatehouse event type (not imported): " + unmappedAuditActions.size());
        unmappedAuditActions.forEach((action, n) -> out.println("  " + action + ": " + n));
        out.println("conflicts (not brought over; resolve and run again): " + conflicts.size());
        conflicts.forEach(line -> out.println("  " + line));
    }
}
