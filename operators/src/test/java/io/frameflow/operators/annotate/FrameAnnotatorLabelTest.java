package io.frameflow.operators.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.Attribute;
import io.frameflow.records.Detection;
import org.junit.jupiter.api.Test;

class FrameAnnotatorLabelTest {

    @Test
    void theTextOverABoxNamesLabelTrackScoreAndTheClassifiersClasses() {
        Detection d = new Detection("person", 0, 0.914f, 1, 2, 3, 4, null);
        assertThat(FrameAnnotator.labelText(d)).isEqualTo("person 0.91");
        assertThat(FrameAnnotator.labelText(d.withTrackId(7))).isEqualTo("person #7 0.91");
        assertThat(
                        FrameAnnotator.labelText(
                                d.withTrackId(7)
                                        .withAttribute(new Attribute("ppe@00000000", "vest", 0.8f))
                                        .withAttribute(
                                                new Attribute("colour@11111111", "red", 0.6f))))
                .isEqualTo("person #7 0.91 vest red");
    }
}
