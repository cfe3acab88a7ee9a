package io.clvanalytics.engine.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hipparchus.random.RandomDataGenerator;

/**
 * The generated products and the share of sales each one gets on every day.
 *
 * <p>Each product has a launch date and four phase lengths; its sales weight is its popularity times a
 * lifecycle curve: introduction 0.05→0.2 (slow rise), growth 0.2→1 (fast rise), maturity 1 (flat),
 * decline 1→0.1 (falling), then 0 (discontinued). The stage a product is in at the end date is chosen
 * first (spread over all five) and the launch date placed so the end date falls well inside that
 * phase, or at least {@value #MIN_GAP_WEEKS} weeks after the discontinuation; so every stage is
 * recognisable from monthly sales. The weights are tabulated per week for fast sampling.
 */
final class ProductCatalog {

    static final int MIN_GAP_WEEKS = 18;
    private static final double[] STAGE_SHARE = {0.10, 0.15, 0.40, 0.20, 0.15};

    private static final String[][] CATEGORIES = {
        {"Electronics", "Audio", "Headphones", "Speaker", "Soundbar", "Earbuds"},
        {"Electronics", "Accessories", "Charger", "Cable", "Power Bank", "Phone Case"},
        {"Home", "Kitchen", "Kettle", "Knife Set", "Blender", "Coffee Grinder"},
        {"Home", "Decor", "Lamp", "Vase", "Cushion", "Wall Clock"},
        {"Sports", "Fitness", "Yoga Mat", "Dumbbell Set", "Jump Rope", "Resistance Band"},
        {"Sports", "Outdoor", "Tent", "Backpack", "Water Bottle", "Headlamp"},
        {"Clothing", "Women", "Dress", "Cardigan", "Scarf", "Blouse"},
        {"Clothing", "Men", "Shirt", "Jacket", "Chinos", "Sweater"},
        {"Beauty", "Skincare", "Moisturiser", "Serum", "Cleanser", "Sunscreen"},
        {"Books", "Non-fiction", "Cookbook", "Travel Guide", "Biography", "Field Guide"},
        {"Toys", "Games", "Board Game", "Puzzle", "Card Game", "Building Set"},
        {"Garden", "Tools", "Pruner", "Hose", "Planter", "Watering Can"},
    };
    private static final double[] CATEGORY_PRICE = {60, 20, 45, 30, 25, 50, 40, 45, 18, 16, 22, 20};
    private static final String[] ADJECTIVES = {"Classic", "Urban", "Nordic", "Pro", "Eco", "Compact", "Deluxe",
        "Everyday", "Studio", "Alpine", "Coastal", "Vintage", "Smart", "Essential", "Premium", "Lite"};

    /** One product with its lifecycle; days are epoch days. */
    record Product(int index, String sourceId, String name, String category, String subcategory, double listPrice,
                   double popularity, long launchDay, int introDays, int growthDays, int maturityDays, int declineDays,
                   LifecycleStage stageAtEnd) {

        long discontinuedDay() {
            return launchDay + introDays + growthDays + maturityDays + declineDays;
        }

        /** The lifecycle curve (without popularity) on {@code day}. */
        double curve(long day) {
            long t = day - launchDay;
            if (t < 0) {
                return 0;
            }
            if (t < introDays) {
                return 0.05 + 0.15 * t / introDays;
            }
            t -= introDays;
            if (t < growthDays) {
                return 0.2 + 0.8 * t / growthDays;
            }
            t -= growthDays;
            if (t < maturityDays) {
                return 1.0;
            }
            t -= maturityDays;
            if (t < declineDays) {
                return 1.0 - 0.9 * t / declineDays;
            }
            return 0;
        }
    }

    private final List<Product> products;
    private final long startDay;
    private final int weeks;
    /** cumulative[w * n + j]: sum of the weights of products 0..j in week w. */
    private final double[] cumulative;

    private ProductCatalog(List<Product> products, long startDay, int weeks, double[] cumulative) {
        this.products = products;
        this.startDay = startDay;
        this.weeks = weeks;
        this.cumulative = cumulative;
    }

    static ProductCatalog build(GeneratorConfig cfg) {
        RandomDataGenerator rng = RandomDataGenerator.of(SplittableRandomGenerator.forItem(cfg.seed(), 2, 0));
        int n = cfg.products();
        LifecycleStage[] stages = stageAssignment(n, rng);
        long startDay = cfg.start().toEpochDay();
        long endDay = cfg.end().toEpochDay();
        long span = endDay - startDay;
        List<Product> list = new ArrayList<>(n);
        boolean haveEvergreen = false;
        for (int j = 0; j < n; j++) {
            int c = rng.nextInt(CATEGORIES.length);
            String[] cat = CATEGORIES[c];
            String noun = cat[2 + rng.nextInt(cat.length - 2)];
            String name = ADJECTIVES[rng.nextInt(ADJECTIVES.length)] + " " + noun + " " + (char) ('A' + rng.nextInt(26))
                    + (100 + rng.nextInt(900));
            double price = Math.round(CATEGORY_PRICE[c] * Math.exp(rng.nextNormal(0, 0.5)) * 100) / 100.0 + 0.99;
            double popularity = Math.exp(rng.nextNormal(0, 0.8));
            int intro = weeks(rng, 10, 20);
            int growth = weeks(rng, 12, 40);
            int maturity = weeks(rng, 40, 160);
            int decline = weeks(rng, 20, 52);
            LifecycleStage stage = stages[j];
            // evergreen classics: mature over the whole range, so some product is on sale every day
            boolean evergreen = stage == LifecycleStage.MATURITY && (!haveEvergreen || rng.nextDouble() < 0.25);
            long launch;
            if (evergreen) {
                haveEvergreen = true;
                launch = startDay - intro - growth - rng.nextInt(365);
                maturity = (int) (endDay - launch - intro - growth) + weeks(rng, 26, 200);
            } else {
                launch = switch (stage) {
                    case INTRODUCTION -> endDay - (long) (intro * rng.nextUniform(0.6, 0.95));
                    case GROWTH -> endDay - intro - (long) (growth * rng.nextUniform(0.35, 0.85));
                    case MATURITY -> endDay - intro - growth - (long) (maturity * rng.nextUniform(0.35, 0.85));
                    case DECLINE -> endDay - intro - growth - maturity - (long) (decline * rng.nextUniform(0.5, 0.9));
                    case DISCONTINUED -> {
                        // discontinued at least MIN_GAP_WEEKS before the end and at least half a year after the start
                        long maxGap = Math.max(MIN_GAP_WEEKS * 7L, Math.min(80 * 7L, span - 182));
                        long gap = MIN_GAP_WEEKS * 7L + (long) (rng.nextDouble() * (maxGap - MIN_GAP_WEEKS * 7L));
                        yield endDay - gap - intro - growth - maturity - decline;
                    }
                };
            }
            list.add(new Product(j, String.format("P%05d", j + 1), name, cat[0], cat[1], price, popularity, launch,
                    intro, growth, maturity, decline, stage));
        }
        int weeks = (int) (span / 7) + 1;
        double[] cumulative = new double[weeks * n];
        for (int w = 0; w < weeks; w++) {
            long mid = startDay + 7L * w + 3;
            double sum = 0;
            for (int j = 0; j < n; j++) {
                Product p = list.get(j);
                sum += p.popularity() * p.curve(mid);
                cumulative[w * n + j] = sum;
            }
        }
        return new ProductCatalog(List.copyOf(list), startDay, weeks, cumulative);
    }

    /** Stages at the end date in the {@link #STAGE_SHARE} proportions, every stage at least once, shuffled. */
    private static LifecycleStage[] stageAssignment(int n, RandomDataGenerator rng) {
        LifecycleStage[] all = LifecycleStage.values();
        LifecycleStage[] out = new LifecycleStage[n];
        int k = 0;
        for (int s = 0; s < all.length; s++) {
            int count = s == all.length - 1 ? n - k : Math.max(1, (int) Math.round(STAGE_SHARE[s] * n));
            count = Math.min(count, n - k - (all.length - 1 - s));
            for (int i = 0; i < count; i++) {
                out[k++] = all[s];
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            LifecycleStage t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    private static int weeks(RandomDataGenerator rng, int min, int max) {
        return 7 * (min + rng.nextInt(max - min + 1));
    }

    List<Product> products() {
        return products;
    }

    /**
     * A product index drawn with probability proportional to its weight in {@code day}'s week, redrawn
     * while the product is not on sale on the day itself (launch and discontinuation fall mid-week).
     */
    int pick(long day, RandomDataGenerator rng) {
        int product = pickInWeek(day, rng.nextDouble());
        for (int attempt = 0; attempt < 100 && products.get(product).curve(day) == 0; attempt++) {
            product = pickInWeek(day, rng.nextDouble());
        }
        return product;
    }

    private int pickInWeek(long day, double u) {
        int w = (int) Math.min(weeks - 1, Math.max(0, (day - startDay) / 7));
        int n = products.size();
        int from = w * n;
        double target = u * cumulative[from + n - 1];
        int i = Arrays.binarySearch(cumulative, from, from + n, target);
        int idx = i >= 0 ? i + 1 : -i - 1;
        // skip zero-weight products that share the cumulative value
        while (idx < from + n - 1 && cumulative[idx] <= target) {
            idx++;
        }
        return Math.min(idx, from + n - 1) - from;
    }
}
