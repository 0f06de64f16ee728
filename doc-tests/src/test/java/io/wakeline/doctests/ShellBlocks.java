package io.wakeline.doctests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced {@code ```sh} blocks of a markdown document, in order, each with the {@code ## } heading it sits
 * under. A block right after {@code <!-- first-hour-test: skip (why) -->} is marked skipped, with the reason.
 */
record ShellBlocks(List<Block> blocks) {
    private static final Pattern FENCE = Pattern.compile("(?m)^(<!-- first-hour-test: skip \\(([^)]*)\\) -->\\n)?```sh\\n(.*?)^```$",
            Pattern.DOTALL);
    private static final Pattern HEADING = Pattern.compile("(?m)^## (.+)$");

    record Block(String heading, String code, String skipReason) {
        boolean skipped() {
            return skipReason != null;
        }
    }

    static ShellBlocks of(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher fence = FENCE.matcher(markdown);
        while (fence.find()) {
            String heading = "";
            Matcher headings = HEADING.matcher(markdown.substring(0, fence.start()));
            while (headings.find()) {
                heading = headings.group(1);
            }
            blocks.add(new Block(heading, fence.group(3), fence.group(2)));
        }
        return new ShellBlocks(blocks);
    }

    List<Block> run() {
        return blocks.stream().filter(block -> !block.skipped()).toList();
    }

    List<Block> skipped() {
        return blocks.stream().filter(Block::skipped).toList();
    }
}
