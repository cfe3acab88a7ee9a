package io.clvanalytics.engine.clv;

import java.util.List;

/**
 * The outcome of a converged maximum-likelihood fit.
 *
 * @param model          the model's short name ({@code bgnbd}, {@code pnbd}, {@code mbgnbd}, {@code gg})
 * @param parameters     each parameter with its estimate, standard error and 95 % interval, in the
 *                       model's canonical order (see the model's {@code PARAMETERS})
 * @param logLikelihood  total log-likelihood of the data at the estimate (weights applied, penalty
 *                       excluded), in the time unit of the data
 * @param iterations     objective evaluations the optimizer used
 * @param converged      always true: a fit that does not converge throws instead
 * @param penalizer      the L2 penalizer coefficient used (0 for none)
 * @param customers      number of customers (sum of the weights)
 * @param uniqueRows     number of distinct rows the likelihood was evaluated on
 * @param boundary       null for an interior maximum; else the drop-out boundary the data put the
 *                       model on (the parameters are then those of the NBD it reduces to, the
 *                       drop-out parameter at 0 and the parameters it leaves unidentified as NaN)
 */
public record FitResult(
        String model,
        List<Parameter> parameters,
        double logLikelihood,
        int iterations,
        boolean converged,
        double penalizer,
        long customers,
        int uniqueRows,
        Boundary boundary) {

    /**
     * A fit on the no-drop-out boundary (Pareto/NBD s → 0, BG/NBD and MBG/NBD a → 0): the model reduces
     * to the NBD and P(alive) is 1 for everyone.
     *
     * @param parameter       the drop-out parameter at its boundary ({@code s} or {@code a})
     * @param unidentified    parameters the data then say nothing about ({@code beta} or {@code b})
     * @param likelihoodRatio 2 × (best log-likelihood of the full model − that of the NBD)
     * @param meaning         the plain-words warning shown with the run
     */
    public record Boundary(String parameter, List<String> unidentified, double likelihoodRatio, String meaning) {
        public Boundary {
            unidentified = List.copyOf(unidentified);
        }
    }

    /** An interior maximum (no boundary). */
    public FitResult(String model, List<Parameter> parameters, double logLikelihood, int iterations, boolean converged,
            double penalizer, long customers, int uniqueRows) {
        this(model, parameters, logLikelihood, iterations, converged, penalizer, customers, uniqueRows, null);
    }

    /**
     * One estimated parameter. The standard error comes from the inverse Hessian of the negative
     * log-likelihood (delta method from log-parameters); the 95 % interval is
     * {@code value * exp(±1.96 * se / value)}, computed on the log scale the optimizer works on, so
     * it is never negative for a positive parameter.
     */
    public record Parameter(String name, double value, double standardError, double lower95, double upper95) {}

    public FitResult {
        parameters = List.copyOf(parameters);
    }

    /** The estimates in canonical order. */
    public double[] values() {
        return parameters.stream().mapToDouble(Parameter::value).toArray();
    }

    /** The estimate of the named parameter. */
    public double value(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no parameter " + name))
                .value();
    }

    /** The named parameter with its standard error and interval. */
    public Parameter parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no parameter " + name));
    }
}
