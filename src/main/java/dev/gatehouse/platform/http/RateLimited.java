package dev.gatehouse.platform.http;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A per client address rate limit on a resource method, enforced by {@link RateLimitFilter}. The value names
 * the limit: its budget is the configuration key {@code gatehouse.rate-limit.<name>.per-minute} (add it to
 * microprofile-config.properties and the table of docs/configuration.md), and the methods naming one limit share
 * each address's bucket. Over the limit: 429 problem+json with Retry-After.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {

    String value();
}
