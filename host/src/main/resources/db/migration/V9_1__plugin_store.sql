-- Each plugin's small persistent key-value store (PluginContext.store(), issue 18): namespaced by the
-- plugin's id, shared by every host on this database. Limits match dev.nexus.api.PluginStore
-- (key 200 characters, value 16384 characters); expired rows are invisible and deleted lazily.
CREATE TABLE plugin_store (
    plugin_id   VARCHAR(200)   NOT NULL,
    store_key   VARCHAR(200)   NOT NULL,
    store_value VARCHAR(16384) NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (plugin_id, store_key)
);
CREATE INDEX plugin_store_expiry ON plugin_store (plugin_id, expires_at);
