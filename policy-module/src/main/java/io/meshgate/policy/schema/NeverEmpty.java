package io.meshgate.policy.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A policy record that an empty object ({@code apiKey: {}}) must not stand for. Configuration
 * binding gives nothing for an object without properties, so {@code authentication: {apiKey: {}}}
 * would silently bind as no authentication at all: the admin API refuses an empty object where
 * such a record goes, and asks for its fields to be written out. For records whose absence
 * opens something (authentication); others read an empty object as absent.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NeverEmpty {

}
