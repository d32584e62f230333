package dev.corral.broker.workers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.corral.broker.BrokerException;
import java.io.IOException;

/**
 * The JSON of the registry (registrations, heartbeats, commands, audit entries, stuck events): snake_case
 * field names ({@code worker_id}, {@code started_at}, ...), enums by their lower-case wire names. Thread-safe.
 */
public final class WorkerJson {

  /** Shared mapper; unknown fields are ignored so newer workers can add fields. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new SimpleModule("corral-workers")
          .addSerializer(ProcessState.class, new JsonSerializer<>() {
            @Override
            public void serialize(ProcessState v, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(v.wireName());
            }
          })
          .addDeserializer(ProcessState.class, new JsonDeserializer<>() {
            @Override
            public ProcessState deserialize(JsonParser p, DeserializationContext c) throws IOException {
              return ProcessState.fromWireName(p.getValueAsString());
            }
          }));

  private WorkerJson() {}

  /** {@code value} as JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
          + e.getMessage(), e);
    }
  }

  /** Parses {@code json} written by {@link #write}. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new BrokerException("malformed " + type.getSimpleName() + " JSON in the worker registry: "
          + e.getOriginalMessage(), e);
    }
  }
}
