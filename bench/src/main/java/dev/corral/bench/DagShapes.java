package dev.corral.bench;

import dev.corral.broker.dag.DagNode;
import dev.corral.broker.dag.DagSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The graph shapes the DAG benchmark uses, built as {@link DagSpec}s without validating them (the benchmark
 * times validation on its own). Pure.
 */
final class DagShapes {

  private DagShapes() {}

  /**
   * A layered DAG: {@code layers} layers of {@code width} nodes; every node below the first depends on
   * {@code fanIn} nodes of the layer above ({@code i, i+1, …} modulo the width), so each node also has
   * {@code fanIn} dependents.
   */
  static DagSpec layered(String execId, String queue, int layers, int width, int fanIn) {
    List<DagNode> nodes = new ArrayList<>(layers * width);
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < width; i++) {
        List<String> deps = new ArrayList<>(fanIn);
        if (l > 0) {
          for (int k = 0; k < Math.min(fanIn, width); k++) {
            deps.add(id(l - 1, (i + k) % width));
          }
        }
        nodes.add(node(id(l, i), queue, Map.of("l", l, "i", i), deps));
      }
    }
    return spec(execId, nodes);
  }

  /** A chain of {@code n} nodes, each depending on the one before. */
  static DagSpec chain(String execId, String queue, int n) {
    List<DagNode> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(node("c" + i, queue, Map.of("i", i), i == 0 ? List.of() : List.of("c" + (i - 1))));
    }
    return spec(execId, nodes);
  }

  /**
   * The DAG form of a two-level BullMQ flow tree of {@code n} jobs (see {@link #treeMiddles}): leaves have no
   * dependencies, each middle node depends on its leaves, the root on every middle node, so the work runs
   * leaves first as a flow's children do. Leaf {@code j} belongs to middle {@code j mod middles}.
   */
  static DagSpec tree(String execId, String queue, int n) {
    int middles = treeMiddles(n);
    int leaves = n - 1 - middles;
    List<List<String>> leavesOf = new ArrayList<>();
    for (int m = 0; m < middles; m++) {
      leavesOf.add(new ArrayList<>());
    }
    List<DagNode> nodes = new ArrayList<>(n);
    for (int j = 0; j < leaves; j++) {
      nodes.add(node("leaf" + j, queue, Map.of("j", j), List.of()));
      leavesOf.get(j % middles).add("leaf" + j);
    }
    List<String> middleIds = new ArrayList<>();
    for (int m = 0; m < middles; m++) {
      nodes.add(node("mid" + m, queue, Map.of("m", m), leavesOf.get(m)));
      middleIds.add("mid" + m);
    }
    nodes.add(node("root", queue, Map.of(), middleIds));
    return spec(execId, nodes);
  }

  /** Middle nodes of a tree of {@code n} jobs: about √n (the Node side computes the same). */
  static int treeMiddles(int n) {
    return Math.max(1, (int) Math.round(Math.sqrt(n)));
  }

  private static String id(int layer, int i) {
    return "n" + layer + "-" + i;
  }

  private static DagNode node(String id, String queue, Object data, List<String> deps) {
    return new DagNode(id, queue, "bench", data, null, deps, null);
  }

  private static DagSpec spec(String execId, List<DagNode> nodes) {
    return new DagSpec(execId, "bench", null, nodes, 0, null, null, Duration.ofHours(1));
  }
}
