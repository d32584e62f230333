package dev.corral.api.schedulers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.jobs.AddJobRequest;
import dev.corral.api.jobs.JobOptionsParser;
import dev.corral.api.requests.Problems;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobSchedulerTemplate;
import dev.corral.broker.RepeatOptions;
import java.util.Set;

/**
 * The body of {@code PUT /api/queues/{queue}/schedulers/{id}}, parsed and checked: {@code repeat} ({@code every}
 * or {@code pattern}, {@code tz}, {@code limit}, {@code start_date}, {@code end_date}, {@code offset},
 * {@code immediately}) and an optional {@code template} ({@code name}, {@code data}, {@code options} as a job's,
 * without {@code job_id}, {@code delay} and {@code deduplication}, which a scheduler sets or does not support).
 *
 * @param repeat when the iterations run
 * @param template the iterations' name, data and options
 * @param data the template's data as sent (null when absent), for the job-name schema check
 */
public record UpsertSchedulerRequest(RepeatOptions repeat, JobSchedulerTemplate template, JsonNode data) {

  private static final Set<String> FIELDS = Set.of("repeat", "template");
  private static final Set<String> REPEAT = Set.of("every", "pattern", "tz", "limit", "start_date", "end_date",
      "offset", "immediately");
  private static final Set<String> TEMPLATE = Set.of("name", "data", "options");
  private static final Set<String> NOT_IN_TEMPLATE = Set.of("job_id", "delay", "deduplication");
  private static final long MAX_DATE = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z

  /**
   * Parses {@code body}.
   *
   * @throws dev.corral.api.errors.ApiException 400 listing every problem
   */
  public static UpsertSchedulerRequest parse(JsonNode body) {
    Problems problems = new Problems();
    problems.unknownFields(body, "", FIELDS, null);
    JsonNode repeatNode = problems.object(body, "", "repeat", null);
    if (repeatNode == null && !problems.has("repeat")) {
      problems.add("repeat", "repeat is required: {\"every\": ms} or {\"pattern\": \"<cron>\"}");
    }
    RepeatOptions repeat = repeatNode == null ? null : repeat(repeatNode, problems);
    JsonNode templateNode = problems.object(body, "", "template", null);
    JobSchedulerTemplate template = null;
    JsonNode data = null;
    if (templateNode != null) {
      problems.unknownFields(templateNode, "template", TEMPLATE, null);
      String name = problems.string(templateNode, "template", "name", null);
      if (name != null && name.isEmpty()) {
        problems.add("template.name", "template.name cannot be empty (leave it out for the scheduler id)");
      } else if (name != null) {
        AddJobRequest.checkText("template.name", name, problems);
      }
      data = Problems.field(templateNode, "data");
      JsonNode optionsNode = Problems.field(templateNode, "options");
      if (optionsNode != null && optionsNode.isObject()) {
        NOT_IN_TEMPLATE.stream().filter(optionsNode::has).sorted().forEach(f -> problems.add(
            "template.options." + f, f + " cannot be set on a scheduler's template (the scheduler sets job ids"
                + " and delays; deduplication is not supported)"));
      }
      JobOptions options = JobOptionsParser.parse(optionsNode, "template.options", null, problems);
      if (problems.list().isEmpty()) {
        try {
          template = new JobSchedulerTemplate(name, data, optionsNode == null ? null : options);
        } catch (IllegalArgumentException e) {
          problems.add("template", e.getMessage());
        }
      }
    }
    problems.throwIfAny();
    return new UpsertSchedulerRequest(repeat, template, data);
  }

  private static RepeatOptions repeat(JsonNode node, Problems problems) {
    int before = problems.list().size();
    problems.unknownFields(node, "repeat", REPEAT, null);
    Long every = problems.integer(node, "repeat", "every", 1, JobOptionsParser.MAX_MS, null);
    String pattern = problems.string(node, "repeat", "pattern", null);
    String tz = problems.string(node, "repeat", "tz", null);
    Long limit = problems.integer(node, "repeat", "limit", 1, Integer.MAX_VALUE, null);
    Long startDate = problems.integer(node, "repeat", "start_date", 0, MAX_DATE, null);
    Long endDate = problems.integer(node, "repeat", "end_date", 0, MAX_DATE, null);
    Long offset = problems.integer(node, "repeat", "offset", 0, JobOptionsParser.MAX_MS, null);
    Boolean immediately = problems.bool(node, "repeat", "immediately", null);
    if (problems.list().size() > before) {
      return null;
    }
    try {
      return new RepeatOptions(every, pattern, tz, limit == null ? null : limit.intValue(), startDate, endDate,
          offset == null ? 0 : offset, Boolean.TRUE.equals(immediately));
    } catch (IllegalArgumentException e) {
      problems.add("repeat", e.getMessage());
      return null;
    }
  }
}
