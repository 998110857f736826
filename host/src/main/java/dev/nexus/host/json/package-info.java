/** Null-marked: every type here is non-null unless annotated {@code @Nullable} (checked by NullAway). */
@NullMarked
package dev.nexus.host.json;

import org.jspecify.annotations.NullMarked;
