package dev.gatehouse.caller;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission a resource method needs, checked by {@link PermissionFilter} before the method runs.
 * {@code superuserBypass}: the tenant's superuser (the account that registered it) passes without holding the
 * permission. Set only where the code says so, so that a tenant owner can never lock themselves out of it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresPermission {

    String value();

    boolean superuserBypass() default false;
}
