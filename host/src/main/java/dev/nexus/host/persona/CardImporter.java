package dev.nexus.host.persona;

/**
 * Converts a single character file dropped into the personalities directory (Character Card V2/V3
 * JSON, PNG with a {@code chara}/{@code ccv3} chunk, CHARX, ElizaOS character JSON) into the native
 * model. Implemented by the interchange feature; the registry calls it for {@code *.json},
 * {@code *.png} and {@code *.charx} files beside the bundle directories. Must be thread-safe and
 * side-effect free.
 */
@FunctionalInterface
public interface CardImporter {

    /**
     * Imports one file.
     *
     * @param id the id the personality must get (a slug of the file's base name)
     * @param fileName the file's name, e.g. {@code Seraphina.png}; its extension tells the format
     * @param content the file's bytes
     * @return the personality, with {@code id} as its id
     * @throws dev.nexus.host.InvalidInputException naming what is wrong with the file
     */
    Personality importFile(PersonalityId id, String fileName, byte[] content);

    /**
     * The importer used until the interchange feature provides one: it refuses every file, saying
     * how to convert it. Dropped card files are then listed as problems, not personalities.
     */
    static CardImporter none() {
        return (id, fileName, content) -> {
            throw new dev.nexus.host.InvalidInputException("single character-card files need the interchange importer, "
                    + "which this host does not have; put the personality in " + id + "/persona.yaml instead");
        };
    }
}
