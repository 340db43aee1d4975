package dev.pyjama;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what Python code may reach under pyjama's host access policy (see {@link HostAccess}).
 *
 * <p>On a class: Python may look the class up by name ({@code pyjama.java.java_class}) and use its
 * public constructors, static methods and static fields, as if the class were in
 * {@link HostAccess#allowClasses}. On a constructor, a static method or a static field: that
 * member alone is reachable through {@code java_class} of its class. On instance members: once a
 * class marks any of its members, Python sees only the marked ones of that class (a class narrows
 * what it shows), on top of the policy's rules. Nothing here lifts the policy's denials
 * (reflection, class loaders, {@code System}, ...); only {@link HostAccess#all()} does.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface PyExport {}
