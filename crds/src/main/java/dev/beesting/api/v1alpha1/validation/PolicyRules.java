package dev.beesting.api.v1alpha1.validation;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The rule texts shared by the CRD schema (as CEL messages) and the Java validator, so both say the same thing.
 */
public final class PolicyRules {
    private PolicyRules() {}

    public static final int MAX_TOKENS = 32;
    public static final int MAX_PATH_LENGTH = 4096;
    public static final int MAX_CONTENT_LENGTH = 65536;
    public static final int MAX_IGNORED_PROCESSES = 32;
    public static final int MAX_LABEL_VALUE_LENGTH = 63;
    public static final int MAX_URL_LENGTH = 2048;
    /** An https URL with a host (name, IPv4 or bracketed IPv6), an optional port and path; no query or fragment. */
    public static final String HTTPS_URL =
            "^https://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?(/[^?#\\s]*)?$";
    /** {@link #HTTPS_URL} as a CEL string literal between single quotes. */
    public static final String HTTPS_URL_CEL =
            "^https://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\\\\[[0-9A-Fa-f:.]+\\\\])(:[0-9]{1,5})?(/[^?#\\\\s]*)?$";

    public static final List<String> FORBIDDEN_ROOTS = List.of("/proc", "/sys", "/dev");
    /** Where the kubelet mounts a pod's service-account token; a token there would break the pod's API access. */
    public static final List<String> SERVICE_ACCOUNT_ROOTS =
            List.of("/var/run/secrets/kubernetes.io", "/run/secrets/kubernetes.io");

    public static final String AT_LEAST_ONE_TOKEN = "at least one token is required";
    public static final String PATHS_UNIQUE = "paths must be unique";
    public static final String PATH_ABSOLUTE = "must be an absolute path";
    public static final String PATH_NOT_DIRECTORY = "must name a file, not end with '/'";
    public static final String PATH_NO_DOTDOT = "must not contain a '..' segment";
    public static final String PATH_NOT_KERNEL = "must not be under /proc, /sys or /dev";
    public static final String PATH_NORMALIZED = "must be normalized: no '.' segment and no '//'";
    public static final String PATH_NOT_SERVICE_ACCOUNT =
            "must not be under the service-account token mount /var/run/secrets/kubernetes.io";
    public static final String EXACTLY_ONE_CONTENT = "exactly one of value, template or secretKeyRef must be set";
    public static final String DECOY_SERVER_HTTPS =
            "must be an https URL with a host and no query or fragment, e.g. https://decoy.example.com:6443";
    public static final String MODE_OCTAL = "must be an octal string between 0400 and 0777";
    public static final String SECRET_NAME = "must be a valid Secret name";
    public static final String SECRET_KEY = "must be a valid Secret key";
    public static final String IGNORE_ABSOLUTE = "must be absolute executable paths";
    public static final String LABEL_KEY = "must be a valid label key";
    public static final String LABEL_KEYS = "keys must be valid label keys";
    public static final String LABEL_VALUES = "values must be valid label values";
    public static final String LABEL_VALUE_LIST = "must be valid label values";
    public static final String OPERATOR = "must be one of In, NotIn, Exists, DoesNotExist";
    public static final String OPERATOR_VALUES =
            "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist";

    static final Pattern HTTPS_URL_RE = Pattern.compile(HTTPS_URL);
    static final Pattern MODE = Pattern.compile("^0[4-7][0-7][0-7]$");
    static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    static final Pattern SECRET_KEY_CHARS = Pattern.compile("^[-._a-zA-Z0-9]+$");
    static final Pattern LABEL_KEY_RE = Pattern.compile(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
    static final Pattern LABEL_VALUE_RE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

    /** The API server's own words for a string over its schema's maxLength. */
    public static String tooLong(int max) {
        return "Too long: may not be more than " + max + " bytes";
    }

    /** The label key pattern as a regular expression (also in the admission policy beside the CRDs). */
    public static String labelKeyPattern() {
        return LABEL_KEY_RE.pattern();
    }

    static boolean validLabelKey(String key) {
        return key.length() <= 317 && LABEL_KEY_RE.matcher(key).matches();
    }

    static boolean validLabelValue(String value) {
        return value.length() <= 63 && LABEL_VALUE_RE.matcher(value).matches();
    }
}
