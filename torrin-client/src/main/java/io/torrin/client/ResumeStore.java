/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the client remembers which upload id belongs to which file, so that a later run (of this process or
 * another) resumes instead of starting over. Implementations must be thread-safe; the client calls them from its
 * worker threads. An entry is saved when the server has created the upload and removed when it completed, was
 * canceled or is gone.
 */
public interface ResumeStore {

    /**
     * Looks up the upload id saved for a key.
     *
     * @param key the file and server, not null
     * @return the id, or empty
     * @throws IOException if the store cannot be read
     */
    Optional<String> find(ResumeKey key) throws IOException;

    /**
     * Saves (or replaces) the upload id of a key. Durable stores have it on disk when this returns.
     *
     * @param key the file and server, not null
     * @param uploadId the server's upload id, not null
     * @throws IOException if the store cannot be written
     */
    void save(ResumeKey key, String uploadId) throws IOException;

    /**
     * Forgets a key; nothing happens if it is unknown.
     *
     * @param key the file and server, not null
     * @throws IOException if the store cannot be written
     */
    void remove(ResumeKey key) throws IOException;

    /**
     * A store in this process's memory: resumes within one process only.
     *
     * @return a new, empty store
     */
    static ResumeStore inMemory() {
        Map<String, String> ids = new ConcurrentHashMap<>();
        return new ResumeStore() {
            @Override
            public Optional<String> find(ResumeKey key) {
                return Optional.ofNullable(ids.get(key.text()));
            }

            @Override
            public void save(ResumeKey key, String uploadId) {
                ids.put(key.text(), uploadId);
            }

            @Override
            public void remove(ResumeKey key) {
                ids.remove(key.text());
            }
        };
    }

    /**
     * A durable store in a directory (created when first written): one small file per key, replaced atomically
     * and forced to disk, so an entry survives a crash of the process that wrote it. Several processes may share
     * the directory.
     *
     * @param directory the directory, not null
     * @return the store
     */
    static ResumeStore inDirectory(Path directory) {
        return new FileResumeStore(directory);
    }

    /**
     * The client's default: {@link #inDirectory(Path)} at {@code ~/.torrin/resume}.
     *
     * @return the default durable store
     */
    static ResumeStore defaultStore() {
        return inDirectory(Path.of(System.getProperty("user.home"), ".torrin", "resume"));
    }
}
