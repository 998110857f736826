package dev.nexus.host.evolution;

/**
 * A Cholesky factorisation of a symmetric positive-definite matrix, for the surrogate's ridge
 * regressions (a dozen to a few hundred unknowns). Immutable after construction.
 */
final class Cholesky {

    private final double[][] lower;
    private final int size;

    /** Factorises {@code matrix}; adds a tiny jitter to the diagonal when rounding makes it indefinite. */
    Cholesky(double[][] matrix) {
        size = matrix.length;
        lower = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = matrix[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= lower[i][k] * lower[j][k];
                }
                if (i == j) {
                    lower[i][i] = Math.sqrt(Math.max(sum, 1e-12));
                } else {
                    lower[i][j] = sum / lower[j][j];
                }
            }
        }
    }

    /** Solves {@code A x = b}. */
    double[] solve(double[] b) {
        double[] y = new double[size];
        for (int i = 0; i < size; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= lower[i][k] * y[k];
            }
            y[i] = sum / lower[i][i];
        }
        double[] x = new double[size];
        for (int i = size - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < size; k++) {
                sum -= lower[k][i] * x[k];
            }
            x[i] = sum / lower[i][i];
        }
        return x;
    }

    /** Returns the top-left {@code n x n} block of {@code A^-1}. */
    double[][] inverseBlock(int n) {
        double[][] block = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] unit = new double[size];
            unit[j] = 1;
            double[] column = solve(unit);
            for (int i = 0; i < n; i++) {
                block[i][j] = column[i];
            }
        }
        return block;
    }
}
