/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Sizes on the command line: {@code 1048576}, {@code 512K}, {@code 4MB}, {@code 8MiB}, {@code 1G} (all binary). */
final class Sizes implements CommandLine.ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*(|K|KB|KIB|M|MB|MIB|G|GB|GIB)");

    @Override
    public Long convert(String value) {
        Matcher matcher = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new CommandLine.TypeConversionException("not a size: " + value + " (for example 4MB, 512K)");
        }
        long number = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2)) {
            case "" -> 0;
            case "K", "KB", "KIB" -> 10;
            case "M", "MB", "MIB" -> 20;
            default -> 30;
        };
        if (number <= 0 || Long.numberOfLeadingZeros(number) <= shift) {
            throw new CommandLine.TypeConversionException("size out of range: " + value);
        }
        return number << shift;
    }

    static String format(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0
                ? String.format(Locale.ROOT, "%.0f %s", bytes, units[unit])
                : String.format(Locale.ROOT, "%.1f %s", bytes, units[unit]);
    }
}
