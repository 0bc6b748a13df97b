package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** The first request that presented a decoy credential, as the decoy API server received it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialUse {
    /** Address the request came from (one alert per origin and source). */
    @Size(max = 64)
    @JsonPropertyDescription("Address the request came from (one alert per origin and source).")
    public String source;

    /** The client's User-Agent, shortened to 256 characters. */
    @Size(max = 256)
    @JsonPropertyDescription("The client's User-Agent, shortened to 256 characters.")
    public String userAgent;

    /** HTTP method. */
    @Size(max = 16)
    @JsonPropertyDescription("HTTP method.")
    public String method;

    /** Request path and query, shortened to 512 characters. */
    @Size(max = 512)
    @JsonPropertyDescription("Request path and query, shortened to 512 characters.")
    public String requestPath;
}
