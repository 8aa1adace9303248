package io.sparktts.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options, {@code --flag} switches and positional arguments. Every option a command reads is
 * looked up by name; {@link #finish()} then refuses any the command did not read, so typos are errors.
 */
final class Args {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> used = new HashSet<>();

    private Args() {}

    /** Parses; {@code flagNames} are the options that take no value. */
    static Args parse(String[] argv, int from, Set<String> flagNames) throws UsageException {
        Args a = new Args();
        for (int i = from; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    a.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (flagNames.contains(name) || name.equals("help")) {
                    a.flags.add(name);
                } else if (i + 1 < argv.length) {
                    a.put(name, argv[++i]);
                } else {
                    throw new UsageException("option --" + name + " needs a value");
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    private void put(String name, String value) throws UsageException {
        if (options.put(name, value) != null) {
            throw new UsageException("option --" + name + " is given twice");
        }
    }

    boolean help() {
        return flags.contains("help");
    }

    boolean flag(String name) {
        used.add(name);
        return flags.contains(name);
    }

    String string(String name, String fallback) {
        used.add(name);
        return options.getOrDefault(name, fallback);
    }

    String required(String name) throws UsageException {
        String v = string(name, null);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    Path path(String name) throws UsageException {
        return Path.of(required(name));
    }

    Path optionalPath(String name) {
        String v = string(name, null);
        return v == null ? null : Path.of(v);
    }

    int integer(String name, int fallback, int min, int max) throws UsageException {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " " + v + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not an integer");
        }
    }

    long longValue(String name, long fallback) throws UsageException {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not an integer");
        }
    }

    double number(String name, double fallback, double min, double max) throws UsageException {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min && d <= max)) {
                throw new UsageException("--" + name + " " + v + " is outside " + min + ".." + max);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not a number");
        }
    }

    List<String> positional() {
        return List.copyOf(positional);
    }

    /** Refuses options and flags that no lookup asked for. */
    void finish() throws UsageException {
        for (String name : options.keySet()) {
            if (!used.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
        for (String name : flags) {
            if (!used.contains(name) && !name.equals("help")) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }
}
