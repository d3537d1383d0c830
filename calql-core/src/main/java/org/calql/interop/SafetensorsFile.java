package org.calql.interop;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file, as {@link Safetensors#read} found them.
 *
 * @param file     where it was read from (for messages)
 * @param tensors  name → tensor, in the order of their data offsets
 * @param dtypes   name → the element type stored
 * @param metadata the {@code __metadata__} strings; empty if there were none
 */
public record SafetensorsFile(Path file, Map<String, TensorData> tensors, Map<String, DType> dtypes,
                              Map<String, String> metadata) {
    /** Copies the maps into unmodifiable ones, keeping their order. */
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
