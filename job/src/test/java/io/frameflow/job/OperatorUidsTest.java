package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/job.md lists every operator uid the job sets, and the uids are unique. */
class OperatorUidsTest {

    @Test
    void uidsAreUniqueAndDocumented() throws Exception {
        assertThat(OperatorUids.ALL).doesNotHaveDuplicates();
        String docs = Files.readString(Path.of("..", "docs", "job.md"));
        for (String uid : OperatorUids.ALL) {
            assertThat(docs).as("docs/job.md lists uid " + uid).contains("`" + uid + "`");
        }
    }
}
