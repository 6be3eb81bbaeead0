package io.spoepolicy.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CSV of the runtime API's {@code show stat}: one row per frontend, backend and server, keyed by
 * the column names of the {@code # pxname,svname,...} header.
 */
public record StatTable(List<Map<String, String>> rows) {

    public static StatTable parse(String csv) {
        List<String> columns = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.startsWith("# ")) {
                columns = List.of(line.substring(2).split(",", -1));
            } else if (columns != null && !line.isBlank()) {
                String[] values = line.split(",", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size() && i < values.length; i++) {
                    if (!columns.get(i).isEmpty()) {
                        row.put(columns.get(i), values[i]);
                    }
                }
                rows.add(row);
            }
        }
        if (columns == null) {
            throw new IllegalArgumentException("not a 'show stat' answer: " + csv);
        }
        return new StatTable(List.copyOf(rows));
    }

    /** The row of a proxy's server; {@code FRONTEND} and {@code BACKEND} name the aggregate rows. */
    public Optional<Map<String, String>> row(String proxy, String server) {
        return rows.stream()
                .filter(row -> proxy.equals(row.get("pxname")) && server.equals(row.get("svname")))
                .findFirst();
    }

    public String field(String proxy, String server, String column) {
        Map<String, String> row = row(proxy, server).orElseThrow(
                () -> new IllegalArgumentException("no stat row for " + proxy + "/" + server));
        String value = row.get(column);
        if (value == null) {
            throw new IllegalArgumentException("no column " + column + " in show stat");
        }
        return value;
    }

    public long number(String proxy, String server, String column) {
        String value = field(proxy, server, column);
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }
}
