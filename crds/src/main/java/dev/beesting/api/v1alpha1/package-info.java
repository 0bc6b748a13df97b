/** Beesting's public API, group {@code beesting.dev}, version {@code v1alpha1}: the CRD model. */
package dev.beesting.api.v1alpha1;
