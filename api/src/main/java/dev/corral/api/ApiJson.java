package dev.corral.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.helidon.http.media.MediaContext;
import io.helidon.http.media.jackson.JacksonSupport;

/** The API's JSON conventions: snake_case names, no {@code null} fields, unknown input fields ignored. */
public final class ApiJson {

  private ApiJson() {}

  /** A new ObjectMapper configured with the API's conventions. */
  public static ObjectMapper newObjectMapper() {
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** The server's media context: JSON through Jackson with {@code mapper}, no other media discovered. */
  public static MediaContext mediaContext(ObjectMapper mapper) {
    return MediaContext.builder()
        .mediaSupportsDiscoverServices(false)
        .addMediaSupport(JacksonSupport.create(mapper))
        .build();
  }
}
