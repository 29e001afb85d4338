#include "Messages.h"

#include "Schema.h"

#include <map>

namespace cplink::spec {
namespace {

struct Entry {
    const char* ja;
    const char* jaHint;
    const char* en;
    const char* enHint;
};

// One entry per rule id. Placeholders in braces are filled from the finding's arguments.
const std::map<std::string, Entry>& catalogue() {
    static const std::map<std::string, Entry> entries = {
        // --- file name ------------------------------------------------------------------------
        {"filename.unknown-kind",
         {"ファイル名「{value}」は標準仕様のファイル名ではありません（接頭辞が UPPLAN・UP1KYO "
          "などのどれにも当たりません）。",
          "介護ソフトから標準仕様のCSVとして出力し直し、ファイル名を変えずに使ってください。",
          "\"{value}\" is not a file name of the standard (no known prefix such as UPPLAN or UP1KYO).",
          "Export the file again from the care software as a standard CSV and keep its name unchanged."}},
        {"filename.extension",
         {"拡張子「{value}」は使えません（{expected} が必要です）。", "拡張子を {expected} にしてください。",
          "Extension \"{value}\" is not allowed ({expected} expected).", "Use the extension {expected}."}},
        {"filename.extension-case",
         {"拡張子が小文字「.{value}」です。標準仕様は大文字「.CSV」です。",
          "拡張子を .CSV（大文字）にしてください。",
          "The extension is lower case \".{value}\"; the standard uses \".CSV\".",
          "Rename the file to end in .CSV."}},
        {"filename.syntax",
         {"ファイル名「{value}」の区切り（_）の数が標準仕様と合いません。", "正しい形式: {expected}",
          "File name \"{value}\" does not have the parts the standard requires.",
          "Expected form: {expected}"}},
        {"filename.v3-form-for-v4-kind",
         {"{kind} は V4 で追加されたファイルですが、ファイル名がサービス種類コードの無い V3 の形式です。",
          "V4.1 の形式にしてください: {expected}",
          "{kind} exists only from V4, but the name has the V3 form without service kinds.",
          "Use the V4.1 form: {expected}"}},
        {"filename.month",
         {"ファイル名の年月「{value}」が正しい年月（YYYYMM）ではありません。",
          "サービス提供年月を YYYYMM で付けてください（000000 "
          "は計画書に紐づく利用者補足情報だけに使えます）。",
          "The year-month \"{value}\" in the file name is not a valid YYYYMM.",
          "Use the service month as YYYYMM (000000 is only for plan-bound UPHOSOKU files)."}},
        {"filename.office-number",
         {"ファイル名の{role}事業所番号「{value}」が10桁の半角数字ではありません。",
          "事業所番号は10桁の半角数字で付けてください。",
          "The {role} office number \"{value}\" in the file name is not 10 digits.",
          "Office numbers are exactly ten half-width digits."}},
        {"filename.service-kind",
         {"ファイル名の{role}サービス種類コード「{value}」が半角英数字2桁ではありません。",
          "サービス種類コード（例: 43 居宅介護支援、11 訪問介護）を2桁で付けてください。",
          "The {role} service kind \"{value}\" in the file name is not two alphanumerics.",
          "Use the two-character service kind (e.g. 43, 11)."}},
        {"filename.service-kind-unknown",
         {"ファイル名の{role}サービス種類コード「{value}」は連携対象のサービス種類一覧にありません。",
          "送信先・送信元のサービス種類コードを確認してください。",
          "The {role} service kind \"{value}\" is not in the standard's list of service kinds.",
          "Check the service kinds in the file name."}},
        {"filename.sequence",
         {"ファイル名末尾の連番「{value}」が実在する日時（YYYYMMDDHHMMSS 14桁）ではありません。",
          "送信単位の全ファイルに同じ14桁の日時を付けてください。",
          "The sequence \"{value}\" is not a real date-time (YYYYMMDDHHMMSS).",
          "Give every file of a send unit the same 14-digit timestamp."}},
        {"filename.image-branch",
         {"画像ファイルの枝番「{value}」が4桁の数字ではありません。", "枝番は 0001 からの4桁にしてください。",
          "The image branch number \"{value}\" is not four digits.", "Use a four-digit branch from 0001."}},
        {"filename.same-office",
         {"送信元と送信先が同じ事業所番号（{value}）です。",
          "同じ事業所番号どうしの送受信はできない場合があります。送信先を確認してください。",
          "Sender and recipient are the same office ({value}).",
          "Check the recipient; sending to yourself may fail."}},
        // --- encoding -------------------------------------------------------------------------
        {"encoding.utf8",
         {"このファイルは UTF-8 です。標準仕様の文字コードは Shift-JIS（MS932）です。",
          "介護ソフトの出力設定で文字コードを Shift-JIS（MS932）にして出力し直してください。",
          "This file is UTF-8; the standard requires Shift-JIS (MS932).",
          "Export it again as Shift-JIS (MS932)."}},
        {"encoding.utf8-bom",
         {"ファイルの先頭に UTF-8 の BOM があります。標準仕様の文字コードは Shift-JIS（MS932）です。",
          "Shift-JIS（MS932）で出力し直してください。",
          "The file starts with a UTF-8 byte order mark; the standard requires Shift-JIS (MS932).",
          "Export it again as Shift-JIS (MS932)."}},
        {"encoding.utf16",
         {"このファイルは UTF-16 です。標準仕様の文字コードは Shift-JIS（MS932）です。",
          "Shift-JIS（MS932）で出力し直してください。",
          "This file is UTF-16; the standard requires Shift-JIS (MS932).",
          "Export it again as Shift-JIS (MS932)."}},
        {"encoding.binary",
         {"このファイルはテキスト（CSV）ではありません（NUL バイトを含みます）。",
          "介護ソフトから出力したCSVファイルを指定してください。",
          "This is not a text (CSV) file: it contains NUL bytes.",
          "Choose the CSV file exported by the care software."}},
        {"encoding.control-char",
         {"制御文字（{byte}）が含まれています。",
          "制御文字を削除してください（改行は「\"」で囲んだフリーテキストの中だけで使えます）。",
          "The control character {byte} is not allowed.",
          "Remove it (line breaks are only allowed inside quoted free text)."}},
        {"encoding.invalid-byte",
         {"Shift-JIS（MS932）として使えないバイト（{byte}）があります。",
          "文字化けしていないか確認し、Shift-JIS（MS932）で出力し直してください。",
          "Byte {byte} is not valid in Shift-JIS (MS932).",
          "Check for garbled text and export again as MS932."}},
        {"encoding.invalid-sequence",
         {"Shift-JIS（MS932）の2バイト文字として正しくないバイト列（{byte}）があります。",
          "文字化けしていないか確認し、Shift-JIS（MS932）で出力し直してください。",
          "The bytes {byte} are not a valid MS932 double-byte character.",
          "Check for garbled text and export again as MS932."}},
        {"encoding.truncated",
         {"ファイルの末尾で2バイト文字が途中で切れています（{byte}）。",
          "ファイルが途中で切れていないか確認し、出力し直してください。",
          "A double-byte character is cut off at the end of the file ({byte}).",
          "The file may be truncated; export it again."}},
        {"encoding.gaiji",
         {"外字（利用者定義文字 {byte}）が使われています。標準仕様では外字は使えません。",
          "外字を Shift-JIS（MS932）の範囲の文字（例: 「髙」→「高」）に置き換えてください。",
          "A user-defined character (gaiji, {byte}) is used; the standard forbids them.",
          "Replace it with a standard MS932 character."}},
        {"encoding.not-jpeg",
         {"家族構成画像が JPEG ではありません。", "JPEG 形式の画像を指定してください。",
          "The family structure image is not a JPEG.", "Use a JPEG image."}},
        // --- CSV structure --------------------------------------------------------------------
        {"csv.unterminated-quote",
         {"ここで始まる「\"」が閉じられないままファイルが終わっています。",
          "フリーテキストの「\"」の対応を確認してください（値の中の「\"」は「\"\"」と2つ重ねます）。",
          "The quote opened here is never closed.",
          "Check the quotes of free text (a quote inside a value is written \"\")."}},
        {"csv.text-after-quote",
         {"閉じた「\"」の後に文字があります。", "値の中の「\"」は「\"\"」と2つ重ねてください。",
          "There is text after a closing quote.", "Write a quote inside a value as \"\"."}},
        {"csv.stray-quote",
         {"「\"」で囲まれていない値の中に「\"」があります。",
          "値全体を「\"」で囲み、値の中の「\"」は「\"\"」にしてください。",
          "A quote appears inside an unquoted value.", "Quote the whole value and double the inner quote."}},
        {"csv.bare-cr",
         {"単独の CR（改行の片方）があります。", "改行は CR+LF にしてください。",
          "A lone CR line break was found.", "Use CR+LF line breaks."}},
        {"csv.record-too-long",
         {"1レコードが {limit} を超えています（「\"」の閉じ忘れかCSVでないファイルです）。",
          "ファイルを確認してください。",
          "A record is longer than {limit} (an unclosed quote, or not a CSV file).", "Check the file."}},
        {"csv.line-ending-mixed",
         {"改行コードが混在しています（CR+LF {crlf} 行、LF のみ {lf} 行）。",
          "改行コードを CR+LF にそろえてください。", "Line endings are mixed (CR+LF {crlf}, LF only {lf}).",
          "Use CR+LF throughout."}},
        {"csv.line-ending-lf",
         {"改行コードが LF のみです（{lf} 行）。Windows の介護ソフトは CR+LF を想定しています。",
          "CR+LF で出力できるか確認してください。",
          "Line endings are LF only ({lf} lines); Windows care software expects CR+LF.",
          "Export with CR+LF if possible."}},
        {"csv.blank-line",
         {"空の行があります。", "空行を削除してください。", "Empty line.", "Remove empty lines."}},
        {"csv.header-row",
         {"1行目が見出し行です。標準仕様のCSVには見出し行がありません。",
          "見出し行を付けずに出力してください。",
          "The first line is a header row; the standard's files have none.", "Export without a header row."}},
        {"csv.empty-file",
         {"データ行が1行もありません。", "出力対象の利用者が含まれているか確認してください。",
          "The file has no data records.", "Check that the export included any users."}},
        {"csv.field-count",
         {"項目数が {count} です（このファイルは {expected} 項目）。",
          "列のずれ、カンマの入ったフリーテキストが「\"」で囲まれているかを確認してください。",
          "The record has {count} fields; this file kind has {expected}.",
          "Check for shifted columns and unquoted free text containing commas."}},
        // --- fields ---------------------------------------------------------------------------
        {"field.required",
         {"必須項目が空です。", "値を入れてください。", "A required field is empty.", "Fill in the field."}},
        {"field.needed",
         {"「必要」とされている項目が空です。", "値を入れてください。", "A field marked as needed is empty.",
          "Fill in the field."}},
        {"field.unquoted-text",
         {"フリーテキスト項目が「\"」で囲まれていません。",
          "フリーテキストは半角の「\"」で囲んで出力してください。",
          "Free text is not enclosed in double quotes.", "Enclose free text in half-width double quotes."}},
        {"field.unused-not-empty",
         {"「使用しない」項目に値「{value}」があります。", "この項目は空にしてください。",
          "The unused field holds \"{value}\".", "Leave this field empty."}},
        {"field.full-width",
         {"値「{value}」に全角文字（または半角カナ）が含まれています。",
          "半角の英数字・記号で入力してください。", "\"{value}\" contains full-width or kana characters.",
          "Use half-width letters, digits and symbols."}},
        {"field.too-long",
         {"値「{value}」が {length} バイトで、項目長 {max} を超えています。", "項目長以内にしてください。",
          "\"{value}\" is {length} bytes; the field allows {max}.", "Shorten the value."}},
        {"field.format",
         {"値「{value}」が書式（{expected}）に合いません。", "書式 {expected} で入力してください。",
          "\"{value}\" does not match the format {expected}.", "Use the format {expected}."}},
        {"field.year-month",
         {"「{value}」は実在する年月ではありません。", "YYYYMM（月は01～12）で入力してください。",
          "\"{value}\" is not a real year and month.", "Use YYYYMM with a month 01-12."}},
        {"field.date",
         {"「{value}」は実在する日付ではありません。", "カレンダーにある日付を YYYYMMDD で入力してください。",
          "\"{value}\" is not a real calendar date.", "Use a real date as YYYYMMDD."}},
        {"field.time",
         {"「{value}」は正しい時刻ではありません。",
          "HHMM（0000～2359）で入力してください。時間表示の無いサービスは 9999 です。",
          "\"{value}\" is not a valid time.", "Use HHMM (0000-2359); 9999 for services without a time."}},
        {"field.range",
         {"値「{value}」が範囲 {min}～{max} の外です。", "{min}～{max} の番号を入れてください。",
          "\"{value}\" is outside {min}-{max}.", "Use a number from {min} to {max}."}},
        {"field.fixed-length",
         {"値「{value}」が {length} 桁ではありません。",
          "{length} 桁で入力されているか確認してください（先頭の0が落ちていませんか）。",
          "\"{value}\" is not {length} digits long.", "Check for dropped leading zeros."}},
        {"field.phone",
         {"電話番号「{value}」に数字・ハイフン以外の文字があります。", "数字とハイフンで入力してください。",
          "Phone number \"{value}\" contains characters other than digits and hyphens.",
          "Use digits and hyphens."}},
        {"field.code",
         {"コード「{value}」はこの項目で使えません。", "使えるコード: {allowed}",
          "Code \"{value}\" is not allowed here.", "Allowed codes: {allowed}"}},
        // --- records --------------------------------------------------------------------------
        {"record.csv-version-unknown",
         {"CSVバージョン「{value}」は標準仕様にありません（V4.1 は 202407、V3 は 202208）。",
          "介護ソフトを標準仕様の最新版に対応させ、正しいCSVバージョンで出力してください。",
          "CSV version \"{value}\" does not exist (V4.1 is 202407, V3 is 202208).",
          "Update the care software and export with a valid CSV version."}},
        {"record.csv-version-v40",
         {"CSVバージョン「202504」は V4.0 の値です。V4.1 で「202407」に変更されました。",
          "202407 で出力してください。", "CSV version 202504 is the V4.0 value; V4.1 changed it to 202407.",
          "Export with 202407."}},
        {"record.csv-version-legacy",
         {"CSVバージョン「{value}」は旧版（V1/V2）です。項目定義が公開されていないため V3 "
          "の定義で検査しました。",
          "最新版（202407）で出力してください。",
          "CSV version {value} is a legacy version (V1/V2); it was checked against the V3 layout.",
          "Export with the current version 202407."}},
        {"record.version-name-mismatch",
         {"CSVバージョン「{value}」とファイル名の形式（{form}）が合いません。",
          "V4.1（202407）はサービス種類コード付きのファイル名、V3（202208）は無しのファイル名です。",
          "CSV version {value} does not match the {form} file-name form.",
          "V4.1 (202407) names carry service kinds; V3 (202208) names do not."}},
        {"record.csv-version-not-yet",
         {"CSVバージョン「{value}」はサービス提供年月 {month} にはまだ適用されません。",
          "その月に適用されているCSVバージョンで出力してください。",
          "CSV version {value} does not apply yet to the service month {month}.",
          "Use the CSV version in force for that month."}},
        {"record.csv-version-outdated",
         {"サービス提供年月 {month} "
          "には新しいCSVバージョン「{expected}」が適用されています（ファイルは「{value}」）。",
          "介護ソフトを更新し、{expected} で出力してください。",
          "The service month {month} uses CSV version {expected}; the file has {value}.",
          "Export with {expected}."}},
        {"record.csv-version-mixed",
         {"CSVバージョン「{value}」が1行目の「{expected}"
          "」と違います。1ファイルに複数のCSVバージョンは混在できません。",
          "1つのCSVバージョンで出力し直してください。",
          "CSV version {value} differs from {expected} on the first line; one file holds one version.",
          "Export the file with a single CSV version."}},
        {"record.month-not-file-month",
         {"年月「{value}」がファイル名の年月 {expected} と違います。",
          "1ファイルにはファイル名の月のデータだけを入れてください。",
          "Month {value} differs from the file name's month {expected}.",
          "A file holds only its file name's month."}},
        {"record.month-mixed",
         {"年月「{value}」が他の行（{expected}）と違います。1ファイルは単月です。",
          "月ごとにファイルを分けてください。",
          "Month {value} differs from {expected}; a file holds one month.", "Split the file by month."}},
        {"record.date-outside-month",
         {"サービス利用日 {value} が対象年月 {month} の日付ではありません。",
          "対象年月内の日付にしてください。", "Service date {value} is not in the target month {month}.",
          "Use a date within the target month."}},
        {"record.daily-flag-beyond-month",
         {"日割対象日に、その月にない日（{days}日より後）の「1」があります。",
          "月の日数を超える桁は 0 にしてください。",
          "Daily flags mark a day after day {days}, which the month does not have.",
          "Set digits beyond the month to 0."}},
        {"record.time-9999-pair",
         {"開始時刻 {start} と終了時刻 {end} の一方だけが 9999（時間表示無し）です。",
          "時間表示の無いサービスは両方を 9999 にしてください。",
          "Only one of start {start} and end {end} is 9999.",
          "Use 9999 for both when the service has no time."}},
        {"record.detail-number-not-rental",
         {"福祉用具貸与以外のサービス（{value}）に明細判別コードがあります。",
          "福祉用具貸与以外では明細判別コードを空にしてください。",
          "The detail number is set for a service ({value}) that is not equipment rental.",
          "Leave it empty."}},
        {"record.annex-code-in-slip",
         {"サービスコード「{value}」は第7表の小計・合計用のコードです。第6表には使えません。",
          "サービスのコードを入れてください。",
          "Service code \"{value}\" is a table 7 subtotal/total code; it has no place on table 6.",
          "Use the service's own code."}},
        {"record.update-office-not-sender",
         {"更新業者コード {value} が送信元の事業所番号 {sender} と違います。",
          "予定は居宅介護支援事業者、実績はサービス事業者の事業所番号です。",
          "Update office {value} differs from the sender {sender}.",
          "Plans carry the care-management office, actuals the service office."}},
        {"record.plan-office-not-sender",
         {"プラン担当業者コード {value} が送信元の事業所番号 {sender} と違います。",
          "居宅介護支援事業所の事業所番号を確認してください。",
          "Plan office {value} differs from the sender {sender}.",
          "Check the care-management office number."}},
        {"record.plan-office-not-recipient",
         {"プラン担当業者コード {value} が送信先の事業所番号 {recipient} と違います。",
          "実績の送信先（居宅介護支援事業所）を確認してください。",
          "Plan office {value} differs from the recipient {recipient}.",
          "Check where the actuals are sent."}},
        {"record.actuals-office-not-sender",
         {"事業者コード {value} が送信元の事業所番号 {sender} と違います。",
          "自事業所の実績だけを送ってください。", "Provider {value} differs from the sender {sender}.",
          "Send only your own office's actuals."}},
        {"record.delete-kind-not-sender",
         {"削除するサービス種類 {value} が送信元のサービス種類 {sender} と違います。",
          "自事業所のサービス種類を確認してください。",
          "The deleted service kind {value} differs from the sender's kind {sender}.",
          "Check the service kind."}},
        {"record.service-out-of-scope",
         {"サービス種類 {value} は連携対象外です。対象外サービスのレコードは出力しません。",
          "このレコードを削除してください。",
          "Service kind {value} is outside the standard's scope; such records are not exported.",
          "Remove the record."}},
        {"record.service-kind-unknown",
         {"サービス種類 {value} は連携対象サービスの一覧にありません。", "サービスコードを確認してください。",
          "Service kind {value} is not in the list of services in scope.", "Check the service code."}},
        {"record.equipment-code-missing",
         {"福祉用具貸与（{value}）ですが、TAISコードも福祉用具届出コードも空です。",
          "どちらか一方を入力してください。",
          "Equipment rental ({value}) needs a TAIS code or a notification code.", "Fill in one of them."}},
        {"record.total-office-on-detail",
         {"明細行の事業所コードが全合計用の 9999999999 です。",
          "サービス事業所の事業所番号を入れてください。",
          "A detail row carries the grand-total office code 9999999999.",
          "Use the provider's office number."}},
        {"record.grand-total-office",
         {"全合計行（999999）の事業所コードが 9999999999 ではありません（{value}）。",
          "全合計行は 9999999999 にしてください。",
          "The grand total row's office code is {value}, not 9999999999.", "Set it to 9999999999."}},
        {"record.total-units-not-zero",
         {"小計・全合計行の単位数が 0 ではありません（{value}）。", "小計・全合計行の単位数は 0 固定です。",
          "A subtotal or total row has units {value}, not 0.", "Units are fixed at 0 on these rows."}},
        {"record.total-discount-not-null",
         {"小計・全合計行の割引後率・割引後単位数に値（{value}）があります。",
          "小計・全合計行では空（Null）にしてください。",
          "A subtotal or total row has a discount value ({value}).",
          "Leave the discount fields empty on these rows."}},
        {"record.unit-amount",
         {"サービス単位金額 {value} が（割引後）単位数×回数（{expected}）と合いません。",
          "計算を確認してください。", "Service units {value} differ from units x count ({expected}).",
          "Check the calculation."}},
        {"record.grand-total-missing",
         {"被保険者 {insured} の全合計行（999999）がありません。",
          "利用者ごとに全合計行を出力してください（必須）。",
          "Insured person {insured} has no grand total row (999999).",
          "Every user needs a grand total row."}},
        {"record.grand-total-duplicate",
         {"被保険者 {insured} の全合計行が {count} 行あります。", "全合計行は利用者ごとに1行です。",
          "Insured person {insured} has {count} grand total rows.", "One grand total row per user."}},
        {"record.subtotal-missing",
         {"被保険者 {insured} のサービス種類 {kind} に明細が {rows} "
          "行ありますが、区分支給限度対象の種類別小計（{kind}AAAA）がありません。",
          "サービスコードが複数行ある種類には種類別小計行を出力してください（必須）。",
          "Insured person {insured} has {rows} rows of kind {kind} but no subtotal {kind}AAAA.",
          "Kinds with several rows need a subtotal row."}},
        {"record.subtotal-without-detail",
         {"種類別小計（{kind}）に対応する明細行がありません。", "小計行と明細行を確認してください。",
          "Subtotal for kind {kind} has no detail rows.", "Check the subtotal and detail rows."}},
        {"record.supplement-plan-date",
         {"計画書に紐づく利用者補足情報なのに、居宅サービス計画作成（変更）日が 00000000 です。",
          "第1表の居宅サービス計画作成（変更）日を入れてください。",
          "A plan-bound supplement has plan date 00000000.", "Use the plan date of table 1."}},
        {"record.supplement-usage-date",
         {"利用票に紐づく利用者補足情報なのに、居宅サービス計画作成（変更）日が {value} です。",
          "利用票に紐づく場合は 00000000 にしてください。", "A usage-bound supplement has plan date {value}.",
          "Use 00000000 when it travels with the usage slip."}},
        {"record.supplement-month",
         {"対象年月「{value}」が {expected} ではありません。",
          "計画書に紐づく場合は 000000、利用票に紐づく場合はファイル名の年月にしてください。",
          "Target month {value} should be {expected}.",
          "000000 with the plan, the file month with the usage slip."}},
        {"record.supplement-slot-gap",
         {"種類別支給限度の {slot} 枠目が、空いた枠の後にあります。", "1枠目から順に詰めて設定してください。",
          "Limit slot {slot} follows an empty slot.", "Fill the slots from slot 1 without gaps."}},
        {"record.plan2-order",
         {"課題NO・援助目標NO・援助内容NO（{value}）が前の行（{previous}）より前の順番です。",
          "帳票の順番になるよう並べて出力してください。",
          "Numbers {value} come before the previous row's {previous}.", "Output rows in the printed order."}},
        {"record.plan3-row-type",
         {"週間サービス・主な日常生活上の活動・週単位以外のサービスのうち {count} "
          "種類の項目が1行に入っています。",
          "1行には1種類（週間サービス No.6～9／日常生活 No.10～12／週単位以外 No.13）だけを入れてください。",
          "The row uses {count} row types.", "Use one row type per row (No.6-9, 10-12 or 13)."}},
        {"record.plan3-weekday-missing",
         {"週間サービス行の曜日が空です。", "曜日（1:月～7:日）を入れてください。",
          "The weekly service row has no weekday.", "Fill in the weekday (1-7)."}},
        {"record.detail-expected",
         {"選んだコードの内容を書く項目が空です。", "内容を入力してください。",
          "The detail for the selected code is empty.", "Fill in the detail."}},
        {"record.image-name",
         {"家族構成画像ファイル名「{value}」が UPKIHON_IMAGE の命名規則（同じ送信単位）に合いません。",
          "UPKIHON_IMAGE_送信元～連番_枝番(4桁).jpg の形にしてください。",
          "Image name \"{value}\" does not follow UPKIHON_IMAGE naming for this send unit.",
          "Use UPKIHON_IMAGE_<same parts>_<branch>.jpg."}},
        // --- send units -----------------------------------------------------------------------
        {"unit.duplicate-kind",
         {"同じ送信単位に {kind} が複数あります。", "1つの送信単位には各ファイルを1つだけ入れてください。",
          "The send unit holds more than one {kind} file.", "One file of each kind per send unit."}},
        {"unit.mixed-name-forms",
         {"同じ送信単位に V3 と V4.1 のファイル名が混在しています。", "同じ版の形式でそろえてください。",
          "The send unit mixes V3 and V4.1 file names.", "Use one version's naming."}},
        {"unit.combination",
         {"送信単位の組合せ（{present}）が標準仕様の組合せではありません。足りない: {missing}／余分: {extra}",
          "同じ連番のファイルは標準仕様の組合せ（例: {expected}）で送ってください。",
          "The send unit ({present}) is not a combination of the standard. Missing: {missing}; extra: "
          "{extra}",
          "Send files with one sequence in a standard combination (e.g. {expected})."}},
        {"unit.companion-missing",
         {"{kind} と一緒に送る {companion} がありません。", "別表も同じ連番で送ってください。",
          "{kind} usually travels with {companion}, which is missing.",
          "Send the annex with the same sequence."}},
        {"unit.month-mismatch",
         {"同じ送信単位のファイルの年月が違います（{value}／{other} は {expected}）。",
          "送信単位の年月をそろえてください。",
          "Months differ within the send unit ({value}; {other} has {expected}).",
          "Use one month per send unit."}},
        {"unit.supplement-form",
         {"この送信単位の利用者補足情報のファイル名年月は {expected} である必要があります。",
          "計画書に紐づく場合は 000000、利用票に紐づく場合は対象年月にしてください。",
          "The supplement's file-name month must be {expected} in this send unit.",
          "000000 with the plan, the target month with the usage slip."}},
        {"unit.version-mixed",
         {"同じ送信単位でCSVバージョンが違います（{values}）。", "同じCSVバージョンで出力してください。",
          "CSV versions differ within the send unit ({values}).", "Use one CSV version."}},
        {"unit.key-not-in-parent",
         {"この行の利用者（{key}）が同じ送信単位の {parent} にありません。",
          "同じ利用者・同じ日付（年月）の {parent} を一緒に送ってください。",
          "The user of this row ({key}) is not in the unit's {parent}.",
          "Send the matching {parent} with it."}},
        {"unit.supplement-missing-for-user",
         {"利用者（{key}）の利用者補足情報がありません。", "利用者補足情報にこの利用者を含めてください。",
          "User {key} has no supplement record.", "Include the user in the supplement file."}},
        {"unit.image-missing",
         {"家族構成画像「{value}」が送信単位にありません。", "画像ファイルも一緒に送ってください。",
          "Family image \"{value}\" is not in the send unit.", "Send the image with it."}},
        {"unit.image-unreferenced",
         {"画像「{value}」はどの利用者基本情報からも参照されていません。",
          "利用者基本情報の家族構成画像ファイル名を確認してください。",
          "Image \"{value}\" is not referenced by any basic information record.",
          "Check the image file names."}},
    };
    return entries;
}

std::string substitute(const char* text, const Finding& finding, Language language) {
    std::string out;
    for (const char* p = text; *p;) {
        if (*p != '{') {
            out += *p++;
            continue;
        }
        const char* close = p + 1;
        while (*close && *close != '}')
            ++close;
        if (!*close) {
            out += p;
            break;
        }
        const std::string name(p + 1, close);
        if (const std::string* value = finding.arg(name)) {
            if (name == "role")
                out += *value == "sender" ? (language == Language::Ja ? "送信元" : "sender")
                                          : (language == Language::Ja ? "送信先" : "recipient");
            else
                out += value->empty() ? "-" : *value;
        }
        p = close + 1;
    }
    return out;
}

} // namespace

RenderedMessage renderMessage(const Finding& finding, Language language) {
    const auto& entries = catalogue();
    auto it = entries.find(finding.rule);
    if (it == entries.end())
        return {finding.rule, {}};
    const Entry& e = it->second;
    RenderedMessage m{substitute(language == Language::Ja ? e.ja : e.en, finding, language),
                      substitute(language == Language::Ja ? e.jaHint : e.enHint, finding, language)};
    if (finding.rule == "csv.field-count" && finding.arg("otherLayout"))
        m.hint += language == Language::Ja
                      ? "（項目数は " + *finding.arg("otherLayout") +
                            " のレイアウトと一致します。CSVバージョンを確認してください）"
                      : " (the count matches the " + *finding.arg("otherLayout") +
                            " layout: check the CSV version)";
    return m;
}

bool hasMessage(const std::string& rule) {
    return catalogue().count(rule) > 0;
}

std::vector<std::string> catalogueRules() {
    std::vector<std::string> rules;
    for (const auto& [rule, entry] : catalogue())
        rules.push_back(rule);
    return rules;
}

std::string kindDisplayName(FileKind kind, Language language) {
    const KindSpec& spec = Schema::instance().kind(kind);
    return language == Language::Ja ? spec.name : spec.nameEn;
}

} // namespace cplink::spec

namespace cplink::spec {

std::string combinationDisplayName(const std::string& combination, Language language) {
    static const std::map<std::string, std::pair<const char*, const char*>> names = {
        {"plan", {"計画書（第1・2・3表＋利用者補足情報）", "care plan (tables 1-3 + supplement)"}},
        {"usage", {"利用票（第6表＋第7表＋利用者補足情報）", "usage slip (tables 6, 7 + supplement)"}},
        {"planDelete", {"計画書の削除（第1表_削除）", "care plan delete"}},
        {"usageDelete", {"利用票の削除（第6表_削除）", "usage slip delete"}},
        {"actuals", {"実績（第6表 実績）", "actuals"}},
        {"actualsDelete", {"実績の削除", "actuals delete"}},
        {"basicInfo", {"利用者基本情報", "basic information"}},
        {"preventionPlanWithBasicInfo",
         {"介護予防計画書＋利用者基本情報", "prevention plan + basic information"}},
        {"preventionPlan", {"介護予防サービス・支援計画書", "prevention plan"}},
        {"basicInfoDelete", {"利用者基本情報の削除", "basic information delete"}},
        {"preventionPlanDelete", {"介護予防計画書の削除", "prevention plan delete"}},
    };
    auto it = names.find(combination);
    if (it == names.end())
        return language == Language::Ja ? "標準外の組合せ" : "not a standard combination";
    return language == Language::Ja ? it->second.first : it->second.second;
}

} // namespace cplink::spec
