/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torrin.core.TorrinException;
import io.torrin.server.spi.LockMode;
import io.torrin.server.spi.UploadLock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalUploadLocksTest {

    @Test
    void acquireWhenAllReleasedOrTimedOutThenNoKeyIsRetained() {
        LocalUploadLocks locks = LocalUploadLocks.create();
        for (int i = 0; i < 1000; i++) {
            locks.acquire("key-" + i, LockMode.SHARED, Duration.ZERO).close();
        }
        UploadLock held = locks.acquire("busy", LockMode.EXCLUSIVE, Duration.ZERO);
        assertThatThrownBy(() -> locks.acquire("busy", LockMode.SHARED, Duration.ofMillis(10)))
                .isInstanceOf(TorrinException.class);
        assertThat(locks.keysInUse()).isEqualTo(1);
        held.close();
        assertThat(locks.keysInUse()).isZero();
    }

    @Test
    void acquireWhenInterruptedWhileWaitingThenUploadLockedAndFlagKept() {
        LocalUploadLocks locks = LocalUploadLocks.create();
        try (UploadLock held = locks.acquire("k", LockMode.EXCLUSIVE, Duration.ZERO)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> locks.acquire("k", LockMode.EXCLUSIVE, Duration.ofSeconds(10)))
                    .isInstanceOf(TorrinException.class);
            assertThat(Thread.interrupted()).isTrue();
        }
    }
}
