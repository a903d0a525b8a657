package io.torrin.storage.local;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** File-name helpers of the built-in naming strategies. */
final class FileNames {

    private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,16})$");
    private static final Pattern FORBIDDEN = Pattern.compile("[<>:\"/\\\\|?*\\x00-\\x1F\\x7F]");

    private FileNames() {
    }

    static String extension(String fileName) {
        Matcher matcher = EXTENSION.matcher(fileName);
        return matcher.find() ? "." + matcher.group(1).toLowerCase(Locale.ROOT) : "";
    }

    static String sanitize(String fileName) {
        String name = Normalizer.normalize(fileName, Normalizer.Form.NFC);
        name = FORBIDDEN.matcher(name).replaceAll("_");
        name = name.replaceAll("^[. ]+", "").replaceAll("[. ]+$", "");
        return name.isEmpty() ? "file" : name;
    }
}
