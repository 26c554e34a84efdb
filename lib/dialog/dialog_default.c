/*
 * dialog_default: cx-dialog's built-in rules and excluded replies.
 *
 * Data, as C strings, so that the program needs no installed files;
 * cx-dialog --print-default-rules and --print-default-excludes write them
 * out to be edited and passed back (-r, --exclude).  The escalation terms
 * are not here: they are cx-classify's escalation/external rules
 * (text/classify_default.c), one list for both programs, plus the churn
 * threats below.  Every run parses these rules, and the print-defaults
 * case gives them back with -r.
 */
#include "dialog/dialog.h"

const char cx_dialog_default_rules[] =
	"# cx-dialog default rules (grammar: man 5 cx-classify).  Categories:\n"
	"#   dissatisfied   a customer turn that says the customer is not satisfied\n"
	"#   escalation/... a customer turn that threatens to go outside (also\n"
	"#                  cx-classify's escalation/external rules) or to leave\n"
	"#   handover       an agent turn that hands the conversation to someone else\n"
	"# Print with cx-dialog --print-default-rules, edit a copy, use it with -r FILE.\n"
	"\n"
	"dissatisfied  category dissatisfied  priority 50 \\\n"
	"  match /不满意|很不满|非常不满|太差|差评|投诉|你们怎么|怎么回事|怎么还(没|不)|搞什么|什么态度|什么服务|服务态度|垃圾|太慢|太久|一直(没|不|都没)|还(没|不)(到|发|处理|解决|退|回复)|到底(要|什么|怎么|还)|有没有人|没人(接|管|理|回|处理)|说了(那么|这么)?半天|没听(明白|懂)|听不懂|(不|没有|这么|太)专业|水平(这么|太|真)低|有什么用|没(啥|什么)(鸟)?用|(你|你们)什么(也|都)没(有)?(做|干|处理|解决)|否则我(就|会)|拖了(很|蛮|好|这么|那么)?(长|久|多)|踢皮球|推脱|敷衍|忽悠|无语|气死|(?<!不让人|不会让人|没有|不)失望|恶心|受不了|说了(多少|好几|很多)(遍|次)|给(我)?个说法|等了(好|很|这么)?(久|几天|多少天|一个)|骗(人|子|我)|坑(人|我)/ \\\n"
	"  match /\\b(not (happy|satisfied|acceptable|good enough)|unsatisfied|dissatisfied|unacceptable|ridiculous|terrible|horrible|awful|worst|pathetic|useless|disgust\\w*|what kind of (service|company)|still (waiting|no|not|haven'?t|hasn'?t)|no ?one (has )?(called|answered|replied|responded|got back|cares)|nobody (has )?(called|answered|replied|responded|cares)|(fed up|sick) (of|with)|waste of (my )?time|how many times|disappointed|frustrat\\w*|annoy\\w*|angry|furious|a joke|seriously\\?)\\b/i\n"
	"\n"
	"churn  category escalation/churn  priority 60 \\\n"
	"  match /销户|注销(账号|帐号|账户|帐户|会员)|退(会员|卡|订)|再也不(买|用|来)|换(一)?家|不在你们(这|家)(买|用)/ \\\n"
	"  match /\\b(cancel (my|the) (account|subscription|membership|order|service)|close (my|the) account|never (buy|order|use|shop)\\w* (from|with|again)|switch(ing)? to (another|a different)|taking my business elsewhere)\\b/i\n"
	"\n"
	"handover  category handover  priority 50 \\\n"
	"  match /(为您|帮您|给您)转接|转接(到|至|给)|转(给|到)(专员|主管|上级|相关部门|专属客服)|(已|会|将)?为您升级|升级(处理|给)|(提交|反馈)(给)?(专员|主管|上级|相关部门)|专员(联系|跟进|处理)|主管(联系|跟进|处理|为您)/ \\\n"
	"  match /\\b(transfer(ring)? you|escalat(e|ed|ing) (this|your)|(my|a) (supervisor|manager) will|pass(ed|ing)? (this|you) (on|over) to|a specialist will|our (specialist|escalations?) team)\\b/i\n";

const char cx_dialog_default_excludes[] =
	"# cx-dialog default excluded replies: greetings and closings that every\n"
	"# conversation has, never counted as an agent repeating himself.  One a\n"
	"# line; a reply at least --similar to one of them is excluded.\n"
	"您好，请问有什么可以帮您\n"
	"有什么问题我可以帮您处理或解决呢\n"
	"请问还有其他可以帮您的吗\n"
	"请问还有其他还可以帮到您的吗\n"
	"请问还有什么可以帮您的吗\n"
	"请问还有可以为您服务的吗\n"
	"还有什么可以帮您的\n"
	"请问您是咨询之前的问题还是有其他的问题需要处理呢\n"
	"感谢您的耐心等待\n"
	"感谢您的支持，祝您生活愉快，再见\n"
	"祝您生活愉快\n"
	"不客气，这都是我应该做的\n"
	"还辛苦您给小妹打个评价呢\n"
	"欢迎再次光临\n"
	"好的呢\n"
	"是的呢\n"
	"嗯嗯好的\n"
	"thank you\n"
	"thanks for reaching out\n"
	"thanks for reaching out to us\n"
	"you're welcome\n"
	"have a great day\n"
	"is there anything else I can help you with\n";
