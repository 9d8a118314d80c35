package io.meshgate.policy.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A value of a record component as a user writes it in YAML ({@code 5s}, {@code /orders/**},
 * {@code cookie:session}), converted to the component's type as configuration binding converts
 * it. On a component of a list type the strings together are one example list; on any other
 * component each string is an example of its own.
 *
 * <p>{@link RecordSchema} publishes the examples ({@code examples} in the JSON Schema, the admin
 * UI's placeholders) and builds each record once with the first example in every component its
 * constructor refuses to leave empty: a required component needs one. Examples are never
 * defaults: a default lives in the record's compact constructor only.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Example {

	String[] value();

}
