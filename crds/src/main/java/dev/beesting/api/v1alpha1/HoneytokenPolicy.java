package dev.beesting.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster-scoped: which honeytokens to plant into which pods. */
@Group(HoneytokenPolicy.GROUP)
@Version(HoneytokenPolicy.VERSION)
@ShortNames("htp")
@Categories("beesting")
@AdditionalPrinterColumn(
        name = "Namespaces",
        jsonPath = ".status.matchedNamespaces",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.nodes", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Alerts", jsonPath = ".status.alerts", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Action", jsonPath = ".spec.action", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Message",
        jsonPath = ".status.conditions[?(@.type==\"Accepted\")].message",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
public class HoneytokenPolicy extends CustomResource<HoneytokenPolicySpec, HoneytokenPolicyStatus> {
    public static final String GROUP = "beesting.dev";
    public static final String VERSION = "v1alpha1";
}
