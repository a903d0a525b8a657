/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.servlet.TorrinFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.web.servlet.filter.OrderedFormContentFilter;

/**
 * Spring's form-content filter, as Spring Boot registers it, except on Torrin's paths. That filter reads the whole
 * body of every {@code PUT}, {@code PATCH} and {@code DELETE} declared {@code application/x-www-form-urlencoded}
 * into memory to parse it as parameters: on a chunk or an append (curl's {@code --data-binary} sends that type) the
 * upload would lose its body and the heap would hold it. Torrin's routes receive their bodies as they come, whatever
 * the declared type; the rest of the application keeps the filter. Thread-safe.
 */
public class TorrinFormContentFilter extends OrderedFormContentFilter {

    private final List<String> mountPaths;

    /**
     * Creates the filter.
     *
     * @param mountPaths Torrin's mount paths below the context path, as {@link TorrinFilter#normalizeMountPath}
     *     returns them, not null
     */
    public TorrinFormContentFilter(List<String> mountPaths) {
        this.mountPaths = List.copyOf(mountPaths);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return mountPaths.stream().anyMatch(mount -> TorrinFilter.isBelow(request, mount));
    }
}
