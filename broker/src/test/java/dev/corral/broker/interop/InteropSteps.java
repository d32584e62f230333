package dev.corral.broker.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corral.broker.JobRequest;
import dev.corral.broker.Queue;
import dev.corral.broker.flow.FlowProducer;
import dev.corral.broker.flow.JobNode;
import dev.corral.broker.support.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in Corral the same step list that {@code bullmq-cli.mjs run} runs in Node:
 * {@code {op:"add",name,data,opts}}, {@code {op:"addBulk",jobs}}, {@code {op:"pause"}}, {@code {op:"resume"}},
 * {@code {op:"updateProgress",id,progress}}, {@code {op:"flow",flow}} (a FlowProducer tree; the result is the id
 * tree {@code {queueName, id, children}}), {@code {op:"upsertJobScheduler",id,repeat,template}} (the iteration id or
 * null), {@code {op:"removeJobScheduler",id}}, {@code {op:"fakeNow",ms}} (sets the client's MutableClock).
 */
public final class InteropSteps {

  private InteropSteps() {}

  /** Parses a JSON text block of steps. */
  public static JsonNode parse(String json) {
    JsonNode steps = Json.parseLenient(json);
    if (steps == null || !steps.isArray()) {
      throw new IllegalArgumentException("steps must be a JSON array: " + json);
    }
    return steps;
  }

  /** Runs {@code steps} on {@code queue}; returns one result per step (the job id for adds, else null). */
  public static ArrayNode runInCorral(Queue queue, JsonNode steps) {
    ArrayNode results = Json.MAPPER.createArrayNode();
    for (JsonNode step : steps) {
      switch (step.get("op").asText()) {
        case "add" -> results.add(queue.add(step.get("name").asText(), step.get("data"),
            BullmqOpts.toJobOptions(step.get("opts"))));
        case "addBulk" -> {
          List<JobRequest> jobs = new ArrayList<>();
          step.get("jobs").forEach(j -> jobs.add(new JobRequest(j.get("name").asText(), j.get("data"),
              BullmqOpts.toJobOptions(j.get("opts")))));
          ArrayNode ids = results.addArray();
          queue.addBulk(jobs).forEach(ids::add);
        }
        case "pause" -> {
          queue.pause();
          results.addNull();
        }
        case "resume" -> {
          queue.resume();
          results.addNull();
        }
        case "updateProgress" -> {
          queue.updateProgress(step.get("id").asText(), step.get("progress"));
          results.addNull();
        }
        case "upsertJobScheduler" -> {
          var it = queue.schedulers().upsertJobScheduler(step.get("id").asText(),
              BullmqOpts.toRepeatOptions(step.get("repeat")), BullmqOpts.toTemplate(step.get("template")));
          if (it.isPresent()) {
            results.add(it.get().jobId());
          } else {
            results.addNull();
          }
        }
        case "removeJobScheduler" -> results.add(queue.schedulers().removeJobScheduler(step.get("id").asText()));
        case "fakeNow" -> {
          if (!(queue.client().clock() instanceof dev.corral.broker.testing.MutableClock clock)) {
            throw new IllegalStateException("fakeNow needs a client with a MutableClock");
          }
          clock.set(step.get("ms").asLong());
          results.addNull();
        }
        case "flow" -> results.add(idTree(new FlowProducer(queue.client()).add(BullmqOpts.toFlowJob(step.get("flow")))));
        default -> throw new IllegalArgumentException("unknown step " + step);
      }
    }
    return results;
  }

  /** A Corral flow result in the shape the Node CLI prints: {@code {queueName, id, children}}. */
  public static JsonNode idTree(JobNode node) {
    var out = Json.MAPPER.createObjectNode();
    out.put("queueName", node.queueName());
    out.put("id", node.id());
    ArrayNode children = out.putArray("children");
    node.children().forEach(c -> children.add(idTree(c)));
    return out;
  }
}
