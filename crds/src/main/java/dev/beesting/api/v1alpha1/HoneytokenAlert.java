package dev.beesting.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Namespaced, in the pod's namespace: one per (pod uid, container, path) whose token was opened. Has no owner
 * reference, so the evidence outlives the pod.
 */
@Group(HoneytokenPolicy.GROUP)
@Version(HoneytokenPolicy.VERSION)
@ShortNames("hta")
@Categories("beesting")
@AdditionalPrinterColumn(name = "Pod", jsonPath = ".spec.pod.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Container",
        jsonPath = ".spec.container.name",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Access", jsonPath = ".spec.access", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".spec.use.source", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Process",
        jsonPath = ".status.process.comm",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Parent",
        jsonPath = ".status.process.parentComm",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Origin",
        jsonPath = ".status.process.origin",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Path", jsonPath = ".spec.path", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Severity", jsonPath = ".spec.severity", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Count", jsonPath = ".status.count", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Denied", jsonPath = ".status.denied", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Last Seen", jsonPath = ".status.lastSeen", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
        name = "Policy",
        jsonPath = ".spec.policy",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Node",
        jsonPath = ".spec.node",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
public class HoneytokenAlert extends CustomResource<HoneytokenAlertSpec, HoneytokenAlertStatus> implements Namespaced {}
