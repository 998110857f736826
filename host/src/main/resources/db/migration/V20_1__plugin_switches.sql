-- Which code plugins an admin switched off (POST /v1/plugins/{id}/disable) or back on: kept in the
-- database so the choice survives restarts and holds for every host on this database. A plugin with
-- no row follows the configuration file (plugins.disabled).
CREATE TABLE plugin_switches (
    plugin_id  VARCHAR(200)             NOT NULL PRIMARY KEY,
    enabled    BOOLEAN                  NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_by VARCHAR(200)             NOT NULL
);
