package io.clvanalytics.server;

import io.clvanalytics.engine.StoreInfo;

/** Server-rendered pages. Every value from the store is HTML-escaped. */
final class Pages {

    private Pages() {}

    static String home(StoreInfo info) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>CLV Analytics</title>
                <style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style></head>
                <body><h1>CLV Analytics</h1>
                <p>Store <code>%s</code> (schema version %d)</p>
                <table>
                <tr><th>Customers</th><td id="customers">%,d</td></tr>
                <tr><th>Products</th><td id="products">%,d</td></tr>
                <tr><th>Transactions</th><td id="transactions">%,d</td></tr>
                <tr><th>Returns</th><td>%,d</td></tr>
                <tr><th>Date range</th><td>%s to %s</td></tr>
                </table></body></html>
                """.formatted(escape(info.file()), info.schemaVersion(), info.customers(), info.products(),
                info.transactions(), info.returns(), escape(String.valueOf(info.firstDate())),
                escape(String.valueOf(info.lastDate())));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
