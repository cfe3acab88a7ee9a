package io.clvanalytics.engine.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fields an import understands, each with the column names it is mapped from automatically.
 * Names are compared after {@link #normalize(String) normalizing} (case, spaces, punctuation), so
 * {@code CustomerID}, {@code customer_id} and {@code Customer ID} are the same name.
 */
public enum Field {
    CUSTOMER_ID("customer_id", "customerid", "customer", "custid", "clientid", "customerno", "customernumber", "memberid", "userid",
            "customeremail", "email", "emailaddress"),
    CUSTOMER_NAME("customer_name", "customername", "clientname"),
    SEGMENT("segment", "segment", "customersegment"),
    ORDER_ID("order_id", "invoiceno", "invoice", "invoiceid", "invoicenumber", "orderid", "orderno", "ordernumber", "transactionid"),
    DATE("date", "invoicedate", "orderdate", "transactiondate", "purchasedate", "date", "datetime", "timestamp", "createdat"),
    PRODUCT_ID("product_id", "stockcode", "productid", "productcode", "sku", "itemid", "itemcode", "articleid"),
    PRODUCT_NAME("product_name", "description", "productname", "itemname", "productdescription"),
    CATEGORY("category", "category", "productcategory"),
    SUBCATEGORY("subcategory", "subcategory", "productsubcategory"),
    QUANTITY("quantity", "quantity", "qty", "numberofcds", "units", "numberofitems"),
    UNIT_PRICE("unit_price", "unitprice", "price", "priceeach", "itemprice"),
    AMOUNT("amount", "amount", "sales", "dollarvalue", "revenue", "totalamount", "total", "linetotal", "netsales", "spend", "value"),
    COUNTRY("country", "country", "countryregion"),
    CURRENCY("currency", "currency", "currencycode");

    private final String key;
    private final List<String> synonyms;

    Field(String key, String... synonyms) {
        this.key = key;
        this.synonyms = List.of(synonyms);
    }

    /** The name used in {@code --map key=Column}, such as {@code customer_id}. */
    public String key() {
        return key;
    }

    /** Normalized column names mapped to this field automatically, most specific first. */
    public List<String> synonyms() {
        return synonyms;
    }

    /** The field named {@code key} (as in {@code --map}), case-insensitive. */
    public static Optional<Field> byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (Field f : values()) {
            if (f.key.equals(k)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Lower case, letters and digits only: {@code "Customer ID"} and {@code customer_id} both become {@code customerid}. */
    public static String normalize(String columnName) {
        return columnName.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
