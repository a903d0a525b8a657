package io.torrin.testkit;

import io.torrin.server.store.InMemoryUploadStore;
import io.torrin.server.store.UploadStore;

class InMemoryUploadStoreCompatibilityTest extends UploadStoreCompatibilityKit {

    @Override
    protected UploadStore createStore() {
        return InMemoryUploadStore.create();
    }
}
