package dev.beesting.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster-scoped, one per node, named after the node and written by that node's agent. */
@Group(HoneytokenPolicy.GROUP)
@Version(HoneytokenPolicy.VERSION)
@ShortNames("htn")
@Categories("beesting")
@AdditionalPrinterColumn(name = "Runtime", jsonPath = ".status.runtime", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Detector", jsonPath = ".status.detector", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "NRI", jsonPath = ".status.nriConnected", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
        name = "Config",
        jsonPath = ".status.configGeneration",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Armed", jsonPath = ".status.armedTokens", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class HoneytokenNode extends CustomResource<Void, HoneytokenNodeStatus> {}
