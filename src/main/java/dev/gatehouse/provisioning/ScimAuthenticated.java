package dev.gatehouse.provisioning;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A SCIM resource: every request to it must carry a live SCIM token ({@link ScimAuthentication}). */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface ScimAuthenticated {
}
