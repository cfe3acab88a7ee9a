package io.clvanalytics.engine.generate;

import java.util.Arrays;

/**
 * The simulated output for a run of consecutive customers, in columns, before it is written. Order
 * numbers are local to the chunk; the writer adds the running offset, so ids do not depend on how
 * chunks were scheduled. Money is held as DECIMAL(18,4) unscaled longs.
 */
final class CustomerChunk {

    static final int NO_DAY = Integer.MIN_VALUE;

    final int firstCustomer;
    final int count;

    final int[] acquisitionDay;
    final int[] lastPurchaseDay;
    final int[] country;
    final String[] name;
    final double[] lambda;
    final double[] p;
    final double[] nu;
    final int[] dropoutDay;

    int orders;
    int size;
    int[] customer = new int[1024];
    int[] product = new int[1024];
    int[] order = new int[1024];
    int[] day = new int[1024];
    long[] timeOfDayMicros = new long[1024];
    int[] quantity = new int[1024];
    long[] unitPrice = new long[1024];
    long[] amount = new long[1024];
    boolean[] isReturn = new boolean[1024];

    CustomerChunk(int firstCustomer, int count) {
        this.firstCustomer = firstCustomer;
        this.count = count;
        acquisitionDay = new int[count];
        lastPurchaseDay = new int[count];
        country = new int[count];
        name = new String[count];
        lambda = new double[count];
        p = new double[count];
        nu = new double[count];
        dropoutDay = new int[count];
    }

    void addLine(int customerOffset, int productIndex, int orderNumber, int epochDay, long micros, int qty,
                 long unitPrice4, long amount4, boolean returned) {
        if (size == customer.length) {
            int n = size * 2;
            customer = Arrays.copyOf(customer, n);
            product = Arrays.copyOf(product, n);
            order = Arrays.copyOf(order, n);
            day = Arrays.copyOf(day, n);
            timeOfDayMicros = Arrays.copyOf(timeOfDayMicros, n);
            quantity = Arrays.copyOf(quantity, n);
            unitPrice = Arrays.copyOf(unitPrice, n);
            amount = Arrays.copyOf(amount, n);
            isReturn = Arrays.copyOf(isReturn, n);
        }
        customer[size] = customerOffset;
        product[size] = productIndex;
        order[size] = orderNumber;
        day[size] = epochDay;
        timeOfDayMicros[size] = micros;
        quantity[size] = qty;
        unitPrice[size] = unitPrice4;
        amount[size] = amount4;
        isReturn[size] = returned;
        size++;
    }
}
