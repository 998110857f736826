-- Admitted sandboxed fitness plugins, by the SHA-256 of their jar. Refused jars are not stored: they
-- are reported at admission and stay refused. The admission report (every external symbol with its
-- verdict) is kept as JSON so approvers and evolution evidence can cite it.
CREATE TABLE sandbox_plugins (
    sha256               VARCHAR(64)  PRIMARY KEY,
    file_name            VARCHAR(255) NOT NULL,
    fitness_class        VARCHAR(500) NOT NULL,
    version              VARCHAR(100),
    fitness_id           VARCHAR(64),
    state                VARCHAR(20)  NOT NULL,
    consecutive_failures INTEGER      NOT NULL,
    reason               VARCHAR(2000),
    report               VARCHAR      NOT NULL,
    admitted_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
