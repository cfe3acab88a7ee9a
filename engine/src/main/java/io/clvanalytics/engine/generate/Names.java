package io.clvanalytics.engine.generate;

/** Word lists for generated customer names and the countries they live in (with weights). */
final class Names {

    private Names() {}

    static final String[] FIRST = {"Ada", "Alan", "Amara", "Ana", "Arjun", "Ben", "Bianca", "Carlos", "Chen", "Chloe",
        "Daniel", "Dara", "Elena", "Emil", "Emma", "Fatima", "Felix", "Grace", "Hana", "Hugo", "Ines", "Isaac",
        "Jonas", "Julia", "Kai", "Kenji", "Lara", "Leo", "Lina", "Luca", "Maya", "Mateo", "Mia", "Nadia", "Noah",
        "Nora", "Olivia", "Omar", "Paul", "Priya", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Tom", "Vera",
        "Wei", "Yara", "Zoe"};
    static final String[] LAST = {"Andersen", "Baker", "Bianchi", "Brown", "Costa", "Dubois", "Evans", "Fischer",
        "Garcia", "Hansen", "Ito", "Jansen", "Kim", "Kowalski", "Lee", "Lopez", "Martin", "Meyer", "Miller",
        "Moreau", "Murphy", "Nguyen", "Novak", "Okafor", "Olsen", "Patel", "Perez", "Rossi", "Schmidt", "Silva",
        "Singh", "Smith", "Sato", "Taylor", "Tanaka", "Walker", "Weber", "Wilson", "Wong", "Young"};
    static final String[] COUNTRY = {"United States", "United Kingdom", "Germany", "France", "Canada", "Netherlands",
        "Spain", "Italy", "Australia", "Sweden", "Japan", "Ireland", "Belgium", "Poland", "Brazil"};
    private static final double[] COUNTRY_WEIGHT = {30, 14, 11, 8, 6, 5, 5, 4, 4, 3, 3, 2, 2, 2, 1};
    private static final double[] COUNTRY_CUMULATIVE = cumulative(COUNTRY_WEIGHT);

    /** A country index for a uniform draw {@code u} in [0,1). */
    static int country(double u) {
        double target = u * COUNTRY_CUMULATIVE[COUNTRY_CUMULATIVE.length - 1];
        for (int i = 0; i < COUNTRY_CUMULATIVE.length; i++) {
            if (target < COUNTRY_CUMULATIVE[i]) {
                return i;
            }
        }
        return COUNTRY_CUMULATIVE.length - 1;
    }

    private static double[] cumulative(double[] w) {
        double[] c = new double[w.length];
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i];
            c[i] = s;
        }
        return c;
    }
}
