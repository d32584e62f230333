package dev.corral.sdk.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private final List<String> lines = new ArrayList<>();
  private final List<String> tooLong = new ArrayList<>();
  private final LineSplitter splitter = new LineSplitter(5, new LineSplitter.Sink() {
    @Override
    public void line(String line) {
      lines.add(line);
    }

    @Override
    public void tooLong(String head) {
      tooLong.add(head);
    }
  });

  private void feed(String s) {
    splitter.feed(s.toCharArray(), s.length());
  }

  @Test
  void linesAreSplitAcrossChunksAndCarriageReturnsDropped() {
    feed("ab");
    feed("c\r\nde\n\nf");
    splitter.end();
    assertEquals(List.of("abc", "de", "", "f"), lines);
    assertEquals(List.of(), tooLong);
  }

  @Test
  void aLongLineIsReportedOnceAndSkippedToItsNewline() {
    feed("abc");
    feed("defgh");
    feed("ijk\nok\n");
    feed("12345");
    feed("\n");
    splitter.end();
    assertEquals(List.of("abcde"), tooLong);
    assertEquals(List.of("ok", "12345"), lines);
  }
}
