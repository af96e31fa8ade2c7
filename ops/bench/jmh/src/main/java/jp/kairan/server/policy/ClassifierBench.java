package jp.kairan.server.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What classifying a message (issue #5, protocol/POLICY.md) costs the send path, with the server's own
 * {@link Classifier} and its built-in dictionaries, on typical 20–300-character staff messages:
 *
 * <ul>
 *   <li>{@code typical}: the everyday mix — mostly ordinary chat, one message in ten with a ledger word, a name
 *       or a number that makes the classifier look closer (Kuromoji, check digits);</li>
 *   <li>{@code ordinary}: chat without any ledger word (the fast path: normalisation, digit runs, one dictionary
 *       pass);</li>
 *   <li>{@code sensitive}: only messages with ledger words and names, each tokenized by Kuromoji — the worst
 *       case, as in a welfare or tax department's rooms.</li>
 * </ul>
 *
 * Each is measured as an average and as a sampled distribution (p50, p99, p99.9). The goal is ≥ 20,000
 * messages/s per core and p99 ≤ 200 µs for the typical mix.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
@State(Scope.Benchmark)
public class ClassifierBench {
    static final List<String> ORDINARY = List.of(
            "お疲れさまです。14時からの打合せ、第3会議室に変更になりました。",
            "了解です！",
            "明日の防災訓練の資料、共有フォルダに置きました。ご確認ください。",
            "【周知】11月28日（金）17時から庁内ネットワークのメンテナンスがあります。保存してから退庁してください。",
            "議会答弁の想定問答、総務課の中島係長に確認してもらっています。修正があれば今日中にお願いします。",
            "プリンタ（2階東側）が紙詰まりしています。総務課に連絡済みです。",
            "来週の窓口当番表を更新しました。火曜午後の担当が足りないので、どなたか交代できる方いませんか？",
            "補正予算の要求資料、財政課への提出期限は12月5日です。様式は前回と同じです。",
            "研修の申込みは今週金曜までです。定員30名、先着順とのことです。",
            "会議ID：972 832 474 152 パスコード 482913 で入ってください。",
            "注文番号 202610160001 のトナー、明日届く予定です。",
            "株式会社みらい建設（法人番号 7010001012345）との契約書、決裁回しました。",
            "台風接近に伴い、本日16時に災害警戒本部を設置します。各課1名、16時に本部室へ。",
            "今年度の滞納件数は前年比5%減、収納率は98.7%でした（速報値）。",
            "生活保護の制度説明会は明日10時からです。会場は2階大会議室です。",
            "お昼どうします？新しくできた定食屋さん行ってみませんか",
            "システム更新後、ログイン画面が表示されない場合はブラウザのキャッシュを消してください。ヘルプデスク内線2150。",
            "先日の市民アンケートの集計、グラフにして共有しました。自由記述は来週まとめます。",
            "すみません、10分ほど遅れます。先に始めていてください。",
            "公用車の予約、木曜の午前は埋まっているので午後にずらします。");
    static final List<String> SENSITIVE = List.of(
            "山田○○さんの生活保護の件、明日訪問します。",
            "山田太郎さん（生活保護受給中）の件で相談です。ケース記録は後ほど。",
            "鈴木一郎（82歳）の固定資産税の滞納について、来週臨戸します。",
            "マイナンバーは 1234 5678 9018 です。申請書に記入お願いします。",
            "佐々木翔太くん（5歳）への虐待の疑いで児相に通告しました。保育園から連絡あり。",
            "高橋さん、国保税の滞納分を今日一部納付されました。分納誓約の2回目です。",
            "記入例：山田太郎 生活保護申請書の書き方について研修資料を更新しました。",
            "生活保護制度の研修講師は福祉課の中島健一係長です。",
            "ケース番号 R4-0877、保護費の追加支給（冬季加算）決定です。",
            "渡辺美咲さんの住民票の写し、転出の手続きで必要とのことで発行しました。");

    @State(Scope.Thread)
    public static class Messages {
        String[] typical;
        int next;

        @Setup
        public void setUp() {
            // One in ten from the sensitive list, in a fixed shuffled order.
            List<String> mix = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                mix.add(ORDINARY.get(i % ORDINARY.size()));
            }
            for (int i = 0; i < 10; i++) {
                mix.add(SENSITIVE.get(i % SENSITIVE.size()));
            }
            java.util.Collections.shuffle(mix, new Random(5));
            typical = mix.toArray(new String[0]);
        }

        String nextTypical() {
            String s = typical[next];
            next = next + 1 == typical.length ? 0 : next + 1;
            return s;
        }

        String nextOf(List<String> list) {
            String s = list.get(next % list.size());
            next = next + 1 == 1_000_000 ? 0 : next + 1;
            return s;
        }
    }

    private final Classifier classifier = Classifier.defaults();

    @Benchmark
    public Classification.Decision typical(Messages m) {
        return classifier.classify(m.nextTypical()).decide(ImportanceClass.II);
    }

    @Benchmark
    public Classification.Decision ordinary(Messages m) {
        return classifier.classify(m.nextOf(ORDINARY)).decide(ImportanceClass.II);
    }

    @Benchmark
    public Classification.Decision sensitive(Messages m) {
        return classifier.classify(m.nextOf(SENSITIVE)).decide(ImportanceClass.II);
    }
}
