package io.sparktts.cli;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** Entry point of {@code spark-tts}: dispatches to the subcommands. */
public final class Main {

    private static final List<Command> COMMANDS = List.of(
            new InspectCommand(),
            new ParityCommand(),
            new DownloadCommand(),
            new DecodeCommand(),
            new TokenizeCommand(),
            new SynthesizeCommand());

    /** Options without a value, for every command. */
    private static final Set<String> FLAGS = Set.of("float", "stream", "full-vocab", "skip-special", "quiet", "force");

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            System.out.println(overview());
            return argv.length == 0 ? 2 : 0;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(argv[0])).findFirst().orElse(null);
        if (command == null) {
            System.err.println("spark-tts: unknown command '" + argv[0] + "'; see spark-tts --help");
            return 2;
        }
        try {
            Args args = Args.parse(argv, 1, FLAGS);
            if (args.help()) {
                System.out.println(command.usage());
                return 0;
            }
            return command.run(args);
        } catch (UsageException e) {
            System.err.println("spark-tts " + command.name() + ": " + e.getMessage() + " (see spark-tts " + command.name() + " --help)");
            return 2;
        } catch (IOException e) {
            System.err.println("spark-tts " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("spark-tts " + command.name() + ": " + e);
            return 1;
        }
    }

    static String overview() {
        StringBuilder b = new StringBuilder("""
                spark-tts: Spark-TTS-0.5B text-to-speech in pure Java

                usage: spark-tts COMMAND [OPTIONS]    (spark-tts COMMAND --help for its options)

                commands:
                """);
        for (Command c : COMMANDS) {
            b.append(String.format("  %-14s %s%n", c.name(), c.summary()));
        }
        return b.toString().stripTrailing();
    }
}
